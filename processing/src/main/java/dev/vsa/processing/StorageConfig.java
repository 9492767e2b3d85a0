package dev.vsa.processing;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Where scene objects are kept: a local directory or an S3 bucket (AWS, MinIO, S3Proxy, ...).
 *
 * @param type                  {@code LOCAL} or {@code S3}
 * @param localDir              root of the local store (used when {@code type == LOCAL})
 * @param bucket                S3 bucket (required when {@code type == S3})
 * @param region                S3 region ({@code us-east-1} unless set)
 * @param endpoint              S3 endpoint override for S3-compatible servers, or null for AWS
 * @param pathStyle             path-style addressing (default on with an endpoint override)
 * @param accessKey             access key, or null for the SDK's default credentials chain
 * @param secretKey             secret key (required with {@code accessKey})
 * @param checksumWhenRequired  send/validate checksums only when an operation requires them; S3-compatible
 *                              servers refuse the SDK's default streaming checksum trailers (default on with an
 *                              endpoint override, off for AWS)
 * @param presignTtl            validity of presigned download URLs
 * @param publicEndpoint        the S3 server's address as clients reach it, named in presigned URLs, when it differs
 *                              from {@code endpoint} (a compose network's {@code http://s3:9000} is unknown to
 *                              browsers); null: {@code endpoint}
 */
public record StorageConfig(Type type, Path localDir, String bucket, String region, URI endpoint,
                            boolean pathStyle, String accessKey, String secretKey, boolean checksumWhenRequired,
                            Duration presignTtl, URI publicEndpoint) {
    /** Storage backends. */
    public enum Type { LOCAL, S3 }

    /**
     * @throws ConfigException naming the key of a missing or inconsistent value
     */
    public StorageConfig {
        ProcessingConfig.require(type != null, ProcessingConfig.STORAGE_TYPE, "must be local or s3");
        ProcessingConfig.require(type != Type.LOCAL || localDir != null, ProcessingConfig.STORAGE_DIR, "must be set");
        ProcessingConfig.require(type != Type.S3 || (bucket != null && !bucket.isBlank()), ProcessingConfig.S3_BUCKET,
                "must be set when storage.type is s3");
        ProcessingConfig.require(bucket == null || bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]"),
                ProcessingConfig.S3_BUCKET, "is not a valid bucket name: '" + bucket + "'");
        ProcessingConfig.require((accessKey == null) == (secretKey == null),
                accessKey == null ? ProcessingConfig.S3_ACCESS_KEY : ProcessingConfig.S3_SECRET_KEY,
                "must be set together with " + (accessKey == null ? ProcessingConfig.S3_SECRET_KEY : ProcessingConfig.S3_ACCESS_KEY));
        ProcessingConfig.require(region != null && !region.isBlank(), ProcessingConfig.S3_REGION, "must be set");
        ProcessingConfig.require(presignTtl != null && presignTtl.toSeconds() >= 1 && presignTtl.toDays() <= 7,
                ProcessingConfig.S3_PRESIGN_TTL, "must be 1 s .. 7 days");
    }

    /** A local store under {@code dir}. */
    public static StorageConfig local(Path dir) {
        return new StorageConfig(Type.LOCAL, dir, null, "us-east-1", null, false, null, null, false, Duration.ofMinutes(15), null);
    }

    /** Hides the secret key. */
    @Override
    public String toString() {
        return type == Type.LOCAL ? "local " + localDir
                : "s3://" + bucket + (endpoint == null ? "" : " at " + endpoint) + " (" + region + ")";
    }
}
