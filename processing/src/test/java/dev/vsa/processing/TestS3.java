package dev.vsa.processing;

import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

/** A real S3 server in this JVM (S3Proxy over jclouds' transient store) that checks signatures. */
public final class TestS3 {
    public static final String ACCESS_KEY = "vsa-test-access";
    public static final String SECRET_KEY = "vsa-test-secret-0123456789";
    private static URI endpoint;

    private TestS3() {
    }

    /** The endpoint of the shared server, started on first use. */
    public static synchronized URI endpoint() {
        if (endpoint == null) {
            try {
                Properties props = new Properties();
                BlobStoreContext ctx = ContextBuilder.newBuilder("transient").credentials("id", "cred")
                        .overrides(props).build(BlobStoreContext.class);
                S3Proxy proxy = S3Proxy.builder().blobStore(ctx.getBlobStore())
                        .endpoint(URI.create("http://127.0.0.1:0"))
                        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                        .build();
                proxy.start();
                while (!"STARTED".equals(proxy.getState())) {
                    Thread.onSpinWait();
                }
                endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
            } catch (Exception e) {
                throw new IllegalStateException("cannot start S3Proxy", e);
            }
        }
        return endpoint;
    }

    /** Config keys for a new bucket on the shared server. */
    public static Map<String, String> settings(String secret) {
        Map<String, String> m = new HashMap<>();
        m.put(ProcessingConfig.STORAGE_TYPE, "s3");
        m.put(ProcessingConfig.S3_BUCKET, "vsa-" + UUID.randomUUID().toString().substring(0, 8));
        m.put(ProcessingConfig.S3_ENDPOINT, endpoint().toString());
        m.put(ProcessingConfig.S3_ACCESS_KEY, ACCESS_KEY);
        m.put(ProcessingConfig.S3_SECRET_KEY, secret);
        return m;
    }
}
