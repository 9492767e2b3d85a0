package dev.vsa.processing.storage;

import dev.vsa.processing.ProcessingConfig;
import dev.vsa.processing.TestContainers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/** The object store contract against an S3 server in a container (skipped with the reason when no engine answers). */
class S3ContainerObjectStoreTest extends ObjectStoreContract {
    @TempDir
    Path home;

    @BeforeAll
    static void engine() {
        TestContainers.assumeEngine();
    }

    @Override
    ObjectStore open() throws IOException {
        return new S3ObjectStore(ProcessingConfig.load(Map.of(
                ProcessingConfig.S3_BUCKET, "vsa-" + UUID.randomUUID().toString().substring(0, 8),
                ProcessingConfig.S3_ENDPOINT, TestContainers.s3Endpoint().toString(),
                ProcessingConfig.S3_ACCESS_KEY, TestContainers.ACCESS_KEY,
                ProcessingConfig.S3_SECRET_KEY, TestContainers.SECRET_KEY), Map.of(), home).storage());
    }
}
