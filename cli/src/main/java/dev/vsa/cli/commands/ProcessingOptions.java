package dev.vsa.cli.commands;

import dev.vsa.processing.ProcessingConfig;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Where {@code vsa serve} and {@code vsa worker} keep their state: the database and the object store. */
public final class ProcessingOptions {
    /** The command this is mixed into: its err writer is where tests and the shell capture warnings. */
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--home", paramLabel = "DIR", description = "The vsa home (default $VSA_HOME, else ~/.vsa).")
    Path home;

    @Option(names = "--database-url", paramLabel = "JDBC_URL",
            description = "External PostgreSQL (jdbc:postgresql://...); default: the embedded one in the vsa home.")
    String databaseUrl;

    @Option(names = "--s3-bucket", paramLabel = "NAME", description = "Keep objects in this S3 bucket (default: local files).")
    String s3Bucket;

    @Option(names = "--s3-region", paramLabel = "REGION", description = "S3 region (default us-east-1).")
    String s3Region;

    @Option(names = "--s3-endpoint", paramLabel = "URL", description = "S3-compatible endpoint (MinIO, ...).")
    String s3Endpoint;

    // Named after its key (upload.max-bytes, VSA_UPLOAD_MAX_BYTES), like every other flag.
    @Option(names = "--upload-max-bytes", paramLabel = "N", description = "Largest upload (default 2 GiB).")
    Long maxUploadBytes;

    /** The flag's old name, kept working; says it is deprecated. */
    @Option(names = "--max-upload-bytes", paramLabel = "N", hidden = true, description = "Deprecated: --upload-max-bytes.")
    void oldMaxUploadBytes(long n) {
        command.commandLine().getErr()
                .println("warning: --max-upload-bytes is deprecated: use --upload-max-bytes (VSA_UPLOAD_MAX_BYTES)");
        maxUploadBytes = n;
    }

    /**
     * The configuration: these flags > {@code VSA_*} environment > the home's config.properties > defaults.
     *
     * @throws IllegalArgumentException naming a bad setting
     */
    ProcessingConfig load() {
        Map<String, String> p = new HashMap<>();
        put(p, ProcessingConfig.HOME, home);
        put(p, ProcessingConfig.DATABASE_URL, databaseUrl);
        put(p, ProcessingConfig.S3_BUCKET, s3Bucket);
        put(p, ProcessingConfig.S3_REGION, s3Region);
        put(p, ProcessingConfig.S3_ENDPOINT, s3Endpoint);
        put(p, ProcessingConfig.UPLOAD_MAX_BYTES, maxUploadBytes);
        return ProcessingConfig.load(p, System.getenv(), null);
    }

    static void put(Map<String, String> m, String key, Object value) {
        if (value != null) {
            m.put(key, value.toString());
        }
    }
}
