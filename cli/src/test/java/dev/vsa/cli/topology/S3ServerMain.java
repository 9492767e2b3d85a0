package dev.vsa.cli.topology;

import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

import java.net.URI;
import java.util.Properties;

/**
 * An S3 server in a process of its own, for the topology test: {@code S3ServerMain <port> <dir> <access> <secret>}.
 * S3Proxy over jclouds' filesystem store in {@code dir}, so objects survive a stop and start on the same port.
 * Prints {@code ready} once it listens; runs until killed.
 */
public final class S3ServerMain {
    private S3ServerMain() {
    }

    public static void main(String[] args) throws Exception {
        Properties props = new Properties();
        props.setProperty("jclouds.filesystem.basedir", args[1]);
        BlobStoreContext ctx = ContextBuilder.newBuilder("filesystem").credentials("id", "cred")
                .overrides(props).build(BlobStoreContext.class);
        S3Proxy proxy = S3Proxy.builder().blobStore(ctx.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:" + args[0]))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, args[2], args[3])
                .build();
        proxy.start();
        while (!"STARTED".equals(proxy.getState())) {
            Thread.sleep(10);
        }
        System.out.println("ready");
        System.out.flush();
        Thread.currentThread().join();
    }
}
