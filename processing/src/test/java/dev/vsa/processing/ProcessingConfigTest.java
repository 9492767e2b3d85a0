package dev.vsa.processing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcessingConfigTest {
    @TempDir
    Path home;

    @Test
    void load_defaults_embeddedAndLocalUnderHome() {
        ProcessingConfig c = ProcessingConfig.load(Map.of(), Map.of(), home);
        assertTrue(c.embeddedDatabase());
        assertEquals(home.resolve("pg"), c.embeddedDir());
        assertEquals(StorageConfig.Type.LOCAL, c.storage().type());
        assertEquals(home.resolve("objects"), c.storage().localDir());
        assertEquals(ProcessingConfig.DEFAULT_MAX_UPLOAD_BYTES, c.maxUploadBytes());
    }

    @Test
    void load_precedence_flagsOverEnvOverFileOverDefault() throws IOException {
        Files.writeString(home.resolve("config.properties"), "jobs.max-attempts=7\njobs.lease-seconds=40\ndatabase.pool-size=4\n");
        Map<String, String> env = Map.of("VSA_JOBS_LEASE_SECONDS", "50", "VSA_DATABASE_POOL_SIZE", "5");
        ProcessingConfig c = ProcessingConfig.load(Map.of(ProcessingConfig.DATABASE_POOL_SIZE, "6"), env, home);
        assertEquals(7, c.maxAttempts());
        assertEquals(50, c.leaseDuration().toSeconds());
        assertEquals(6, c.databasePoolSize());
    }

    @Test
    void load_poolTimeout_aSettingLikeTheOthers() {
        assertEquals(5_000, ProcessingConfig.load(Map.of(), Map.of(), home).databasePoolTimeout().toMillis());
        ProcessingConfig c = ProcessingConfig.load(Map.of(), Map.of("VSA_DATABASE_POOL_TIMEOUT_MS", "30000"), home);
        assertEquals(30_000, c.databasePoolTimeout().toMillis());
    }

    @Test
    void load_s3WithEndpoint_pathStyleAndChecksumsWhenRequired() {
        ProcessingConfig c = ProcessingConfig.load(Map.of(ProcessingConfig.S3_BUCKET, "scenes",
                ProcessingConfig.S3_ENDPOINT, "http://127.0.0.1:9000"), Map.of(), home);
        assertEquals(StorageConfig.Type.S3, c.storage().type());
        assertTrue(c.storage().pathStyle());
        assertTrue(c.storage().checksumWhenRequired());
        ProcessingConfig aws = ProcessingConfig.load(Map.of(ProcessingConfig.S3_BUCKET, "scenes"), Map.of(), home);
        assertFalse(aws.storage().pathStyle());
        assertFalse(aws.storage().checksumWhenRequired());
        assertNull(aws.storage().endpoint());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "database.url | mysql://x | database.url",
            "database.pool-size | 1 | database.pool-size",
            "database.pool-timeout-ms | 100 | database.pool-timeout-ms",
            "jobs.lease-seconds | soon | jobs.lease-seconds",
            "storage.type | ftp | storage.type",
            "s3.endpoint | not a url | s3.endpoint",
            "s3.path-style | maybe | s3.path-style",
            "s3.access-key | AKIA | s3.secret-key",
            "nosuch.key | 1 | nosuch.key"})
    void load_badValue_messageNamesKey(String key, String value, String named) {
        ConfigException e = assertThrows(ConfigException.class, () -> ProcessingConfig.load(Map.of(key, value), Map.of(), home));
        assertEquals(named, e.key());
        assertTrue(e.getMessage().startsWith(named), e.getMessage());
    }

    @Test
    void load_limits_defaultsEnvAndBadValueNamingTheKey() {
        Limits d = ProcessingConfig.load(Map.of(), Map.of(), home).limits();
        assertEquals(Math.max(1, Runtime.getRuntime().availableProcessors() / 2), d.hashThreads(),
                "one hash at a time per two cores: a login flood takes at most half the CPU");
        assertEquals(CpuPriority.DEFAULT_NICE, d.backgroundNice());
        assertEquals(d.hashThreads(), d.hashQueue());
        assertEquals(0, d.hashCpuMillicores(), "no hashing CPU budget unless asked");
        assertEquals(250, ProcessingConfig.load(Map.of(), Map.of("VSA_AUTH_HASH_CPU_MILLICORES", "250"), home).limits()
                .hashCpuMillicores());
        assertEquals(Limits.HASH_CPU, assertThrows(ConfigException.class, () -> ProcessingConfig.load(
                Map.of(Limits.HASH_CPU, "-1"), Map.of(), home)).key());
        assertEquals(64, d.uploadMaxConcurrent());
        assertTrue(ProcessingConfig.load(Map.of(), Map.of(), home).embeddedDurable(), "durable unless asked");
        Limits e = ProcessingConfig.load(Map.of(), Map.of("VSA_AUTH_HASH_THREADS", "3", "VSA_UPLOAD_MAX_CONCURRENT", "7",
                "VSA_AUTH_SIGNUP_MAX_PER_ADDRESS", "2"), home).limits();
        assertEquals(3, e.hashThreads());
        assertEquals(3, e.hashQueue(), "the queue follows the threads");
        assertEquals(7, e.uploadMaxConcurrent());
        assertEquals(2, e.signupMaxPerAddress());
        ConfigException bad = assertThrows(ConfigException.class, () -> ProcessingConfig.load(
                Map.of(Limits.UPLOAD_MAX_CONCURRENT, "0"), Map.of(), home));
        assertEquals(Limits.UPLOAD_MAX_CONCURRENT, bad.key());
        assertEquals(0, ProcessingConfig.load(Map.of(), Map.of("VSA_CPU_BACKGROUND_NICE", "0"), home).limits()
                .backgroundNice());
        assertEquals(Limits.BACKGROUND_NICE, assertThrows(ConfigException.class, () -> ProcessingConfig.load(
                Map.of(Limits.BACKGROUND_NICE, "20"), Map.of(), home)).key());
        assertEquals(true, ProcessingConfig.load(Map.of(), Map.of(), home).limits().backgroundIdle());
        assertEquals(false, ProcessingConfig.load(Map.of(), Map.of("VSA_CPU_BACKGROUND_IDLE", "false"), home).limits()
                .backgroundIdle());
        assertEquals(Limits.BACKGROUND_IDLE, assertThrows(ConfigException.class, () -> ProcessingConfig.load(
                Map.of(Limits.BACKGROUND_IDLE, "sometimes"), Map.of(), home)).key());
    }

    @Test
    void load_resumableUploads_defaultsEnvAndRanges() {
        ProcessingConfig d = ProcessingConfig.load(Map.of(), Map.of(), home);
        assertEquals(java.time.Duration.ofHours(24), d.resumableExpiry());
        assertEquals(20, d.limits().resumableMaxOpen());
        ProcessingConfig e = ProcessingConfig.load(Map.of(), Map.of("VSA_UPLOAD_RESUMABLE_EXPIRY_SECONDS", "3600",
                "VSA_UPLOAD_RESUMABLE_MAX_OPEN", "5"), home);
        assertEquals(java.time.Duration.ofHours(1), e.resumableExpiry());
        assertEquals(5, e.limits().resumableMaxOpen());
        assertEquals(ProcessingConfig.RESUMABLE_EXPIRY, assertThrows(ConfigException.class, () -> ProcessingConfig.load(
                Map.of(ProcessingConfig.RESUMABLE_EXPIRY, "59"), Map.of(), home)).key());
        assertEquals(Limits.RESUMABLE_MAX_OPEN, assertThrows(ConfigException.class, () -> ProcessingConfig.load(
                Map.of(Limits.RESUMABLE_MAX_OPEN, "0"), Map.of(), home)).key());
    }

    @Test
    void load_s3WithoutBucket_namesBucket() {
        ConfigException e = assertThrows(ConfigException.class, () -> ProcessingConfig.load(
                Map.of(ProcessingConfig.STORAGE_TYPE, "s3"), Map.of(), home));
        assertEquals(ProcessingConfig.S3_BUCKET, e.key());
    }

    @Test
    void toString_hidesSecrets() {
        ProcessingConfig c = ProcessingConfig.load(Map.of(ProcessingConfig.DATABASE_URL,
                "jdbc:postgresql://db/vsa?user=a&password=hunter2", ProcessingConfig.S3_BUCKET, "bkt",
                ProcessingConfig.S3_ACCESS_KEY, "AK", ProcessingConfig.S3_SECRET_KEY, "SECRET"), Map.of(), home);
        assertFalse(c.toString().contains("hunter2"), c.toString());
        assertFalse(c.toString().contains("SECRET"), c.toString());
    }

    @Test
    void envName_mapsKeys() {
        assertEquals("VSA_DATABASE_URL", ProcessingConfig.envName("database.url"));
        assertEquals("VSA_S3_ACCESS_KEY", ProcessingConfig.envName("s3.access-key"));
    }
}
