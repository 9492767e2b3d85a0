package dev.vsa.processing.storage;

import dev.vsa.processing.StorageConfig;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Objects in an S3 bucket (AWS or any S3-compatible server). Objects are private; clients download through
 * presigned GET URLs. Puts read the stream in 8 MiB parts: a small object is one PUT, a larger one a multipart
 * upload, aborted if anything fails, so memory stays at one part whatever the size.
 */
public final class S3ObjectStore implements ObjectStore {
    /** Size of one multipart part (S3's minimum is 5 MiB). */
    public static final int PART_SIZE = 8 * 1024 * 1024;

    private final S3Client s3;
    private final S3Presigner presigner;
    private final String bucket;

    /**
     * Connects and makes sure the bucket exists (creating it if missing, which S3-compatible servers allow).
     *
     * @throws IOException if the bucket cannot be reached or created (wrong credentials, no server)
     */
    public S3ObjectStore(StorageConfig config) throws IOException {
        if (config.type() != StorageConfig.Type.S3) {
            throw new IllegalArgumentException("not an S3 configuration: " + config);
        }
        this.bucket = config.bucket();
        AwsCredentialsProvider credentials = config.accessKey() != null
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(config.accessKey(), config.secretKey()))
                : DefaultCredentialsProvider.builder().build();
        S3Configuration s3conf = S3Configuration.builder().pathStyleAccessEnabled(config.pathStyle()).build();
        S3ClientBuilder b = S3Client.builder()
                .region(Region.of(config.region()))
                .credentialsProvider(credentials)
                .serviceConfiguration(s3conf);
        S3Presigner.Builder pb = S3Presigner.builder()
                .region(Region.of(config.region()))
                .credentialsProvider(credentials)
                .serviceConfiguration(s3conf);
        if (config.endpoint() != null) {
            b.endpointOverride(config.endpoint());
        }
        URI presignAt = config.publicEndpoint() != null ? config.publicEndpoint() : config.endpoint();
        if (presignAt != null) {
            pb.endpointOverride(presignAt);
        }
        if (config.checksumWhenRequired()) {
            b.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        }
        this.s3 = b.build();
        this.presigner = pb.build();
        try {
            try {
                s3.headBucket(r -> r.bucket(bucket));
            } catch (NoSuchBucketException e) {
                s3.createBucket(r -> r.bucket(bucket));
            } catch (S3Exception e) {
                if (e.statusCode() != 404) {
                    throw e;
                }
                s3.createBucket(r -> r.bucket(bucket));
            }
        } catch (SdkException e) {
            close();
            throw new IOException("S3 bucket " + bucket + " is not usable: " + e.getMessage(), e);
        }
    }

    @Override
    public long put(String key, InputStream in, long length, String contentType) throws IOException {
        ObjectStore.checkKey(key);
        String type = contentType == null ? "application/octet-stream" : contentType;
        byte[] buf = new byte[(int) Math.min(PART_SIZE, length >= 0 ? Math.max(length, 1) : PART_SIZE)];
        int n = fill(in, buf);
        try {
            if (n < buf.length || (length >= 0 && n == length)) {
                if (n == buf.length && in.read() >= 0) {
                    throw new IOException("stream for " + key + " is longer than the " + length + " bytes announced");
                }
                checkLength(key, n, length);
                s3.putObject(r -> r.bucket(bucket).key(key).contentType(type).contentLength((long) n),
                        RequestBody.fromInputStream(new ByteArrayInputStream(buf, 0, n), n));
                return n;
            }
            return multipart(key, in, length, type, buf, n);
        } catch (SdkException e) {
            throw new IOException("S3 put of " + key + " failed: " + e.getMessage(), e);
        }
    }

    private long multipart(String key, InputStream in, long length, String type, byte[] first, int firstLen)
            throws IOException {
        byte[] buf = first.length == PART_SIZE ? first : null;
        String uploadId = s3.createMultipartUpload(r -> r.bucket(bucket).key(key).contentType(type)).uploadId();
        boolean done = false;
        try {
            List<CompletedPart> parts = new ArrayList<>();
            long total = 0;
            int n = firstLen;
            byte[] cur = first;
            while (n > 0) {
                int partNumber = parts.size() + 1;
                int len = n;
                byte[] data = cur;
                String etag = s3.uploadPart(r -> r.bucket(bucket).key(key).uploadId(uploadId).partNumber(partNumber)
                                .contentLength((long) len),
                        RequestBody.fromInputStream(new ByteArrayInputStream(data, 0, len), len)).eTag();
                parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
                total += n;
                if (n < cur.length) {
                    break;
                }
                if (buf == null) {
                    buf = new byte[PART_SIZE];
                }
                cur = buf;
                n = fill(in, cur);
            }
            checkLength(key, total, length);
            s3.completeMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId)
                    .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()));
            done = true;
            return total;
        } finally {
            if (!done) {
                try {
                    s3.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId));
                } catch (SdkException ignored) {
                    // the bucket's lifecycle rule for incomplete uploads cleans up what this could not
                }
            }
        }
    }

    private static void checkLength(String key, long n, long length) throws IOException {
        if (length >= 0 && n != length) {
            throw new IOException("stream for " + key + " had " + n + " bytes, " + length + " announced");
        }
    }

    private static int fill(InputStream in, byte[] buf) throws IOException {
        int n = 0;
        while (n < buf.length) {
            int r = in.read(buf, n, buf.length - n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        return n;
    }

    @Override
    public InputStream get(String key, long offset, long length) throws IOException {
        ObjectStore.checkKey(key);
        if (offset < 0 || length < -1) {
            throw new IllegalArgumentException("bad range: offset " + offset + ", length " + length);
        }
        if (length == 0) {
            stat(key).orElseThrow(() -> new ObjectNotFoundException(key));
            return InputStream.nullInputStream();
        }
        String range = offset == 0 && length < 0 ? null
                : "bytes=" + offset + "-" + (length < 0 ? "" : String.valueOf(offset + length - 1));
        try {
            ResponseInputStream<GetObjectResponse> in = s3.getObject(r -> r.bucket(bucket).key(key).range(range));
            return in;
        } catch (NoSuchKeyException e) {
            throw new ObjectNotFoundException(key);
        } catch (S3Exception e) {
            if (e.statusCode() == 416) {
                return InputStream.nullInputStream();
            }
            if (e.statusCode() == 404) {
                throw new ObjectNotFoundException(key);
            }
            throw new IOException("S3 get of " + key + " failed: " + e.getMessage(), e);
        } catch (SdkException e) {
            throw new IOException("S3 get of " + key + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<ObjectInfo> stat(String key) throws IOException {
        ObjectStore.checkKey(key);
        try {
            HeadObjectResponse h = s3.headObject(r -> r.bucket(bucket).key(key));
            return Optional.of(new ObjectInfo(key, h.contentLength(),
                    h.contentType() == null ? "application/octet-stream" : h.contentType()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw new IOException("S3 head of " + key + " failed: " + e.getMessage(), e);
        } catch (SdkException e) {
            throw new IOException("S3 head of " + key + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void delete(String key) throws IOException {
        ObjectStore.checkKey(key);
        try {
            s3.deleteObject(r -> r.bucket(bucket).key(key));
        } catch (SdkException e) {
            throw new IOException("S3 delete of " + key + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public List<String> list(String prefix) throws IOException {
        List<String> keys = new ArrayList<>();
        try {
            for (S3Object o : s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix)).contents()) {
                // "folder" markers (S3 consoles, S3Proxy's filesystem backend) are no objects of ours
                if (!o.key().endsWith("/")) {
                    keys.add(o.key());
                }
            }
        } catch (SdkException e) {
            throw new IOException("S3 list of " + prefix + " failed: " + e.getMessage(), e);
        }
        keys.sort(null);
        return keys;
    }

    @Override
    public Optional<URI> presignGet(String key, Duration ttl, String downloadName) {
        ObjectStore.checkKey(key);
        String disposition = downloadName == null ? null
                : "attachment; filename=\"" + downloadName.replaceAll("[^A-Za-z0-9._-]", "_") + "\"";
        try {
            return Optional.of(presigner.presignGetObject(p -> p.signatureDuration(ttl)
                    .getObjectRequest(r -> r.bucket(bucket).key(key).responseContentDisposition(disposition)))
                    .url().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException("presigned URL is not a URI", e);
        }
    }

    @Override
    public Optional<PresignedMultipart> presignedMultipart() {
        return Optional.of(direct);
    }

    /**
     * Direct uploads on this store's client and presigner: both were built with the same endpoint, region, credentials
     * and addressing style, so a part URL names the host and path this store's own requests use (path-style for
     * S3-compatible servers such as S3Proxy and MinIO, whose buckets have no DNS names).
     */
    private final PresignedMultipart direct = new PresignedMultipart() {
        @Override
        public String create(String key, String contentType) throws IOException {
            ObjectStore.checkKey(key);
            try {
                return s3.createMultipartUpload(r -> r.bucket(bucket).key(key)
                        .contentType(contentType == null ? "application/octet-stream" : contentType)).uploadId();
            } catch (SdkException e) {
                throw new IOException("S3 create multipart upload of " + key + " failed: " + e.getMessage(), e);
            }
        }

        @Override
        public URI presignPart(String key, String uploadId, int number, long length, Duration ttl) {
            ObjectStore.checkKey(key);
            try {
                // The length is signed with the URL: the store refuses a body of any other size for this part.
                return presigner.presignUploadPart(p -> p.signatureDuration(ttl).uploadPartRequest(r -> r.bucket(bucket)
                        .key(key).uploadId(uploadId).partNumber(number).contentLength(length))).url().toURI();
            } catch (java.net.URISyntaxException e) {
                throw new IllegalStateException("presigned URL is not a URI", e);
            }
        }

        @Override
        public void complete(String key, String uploadId, List<PartTag> parts) throws IOException {
            ObjectStore.checkKey(key);
            List<CompletedPart> list = parts.stream()
                    .map(p -> CompletedPart.builder().partNumber(p.number()).eTag(p.etag()).build()).toList();
            try {
                s3.completeMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId)
                        .multipartUpload(CompletedMultipartUpload.builder().parts(list).build()));
            } catch (S3Exception e) {
                String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
                if (e.statusCode() == 400 || e.statusCode() == 404) {
                    // InvalidPart, InvalidPartOrder, EntityTooSmall, NoSuchUpload: the client's list, not the store
                    throw new PresignedMultipart.PartsRejectedException((code == null ? "refused" : code) + ": "
                            + (e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage()));
                }
                throw new IOException("S3 complete multipart upload of " + key + " failed: " + e.getMessage(), e);
            } catch (SdkException e) {
                throw new IOException("S3 complete multipart upload of " + key + " failed: " + e.getMessage(), e);
            }
        }

        @Override
        public void abort(String key, String uploadId) throws IOException {
            ObjectStore.checkKey(key);
            try {
                s3.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId));
            } catch (S3Exception e) {
                if (e.statusCode() != 404) { // NoSuchUpload: aborted or completed already
                    throw new IOException("S3 abort multipart upload of " + key + " failed: " + e.getMessage(), e);
                }
            } catch (SdkException e) {
                throw new IOException("S3 abort multipart upload of " + key + " failed: " + e.getMessage(), e);
            }
        }
    };

    @Override
    public void close() {
        s3.close();
        presigner.close();
    }
}
