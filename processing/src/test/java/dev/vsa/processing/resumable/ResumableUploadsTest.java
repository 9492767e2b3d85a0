package dev.vsa.processing.resumable;

import dev.vsa.processing.Limits;
import dev.vsa.processing.Processing;
import dev.vsa.processing.ProcessingConfig;
import dev.vsa.processing.ProcessingTestSupport;
import dev.vsa.processing.TestDatabases;
import dev.vsa.processing.User;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Resumable uploads through the engine's own service, with the settings an operator gives. */
class ResumableUploadsTest {
    @TempDir
    static Path home;
    static Processing p;

    @BeforeAll
    static void start() {
        p = Processing.start(ProcessingTestSupport.config(home, TestDatabases.fresh(), Map.of(
                ProcessingConfig.RESUMABLE_EXPIRY, "7200", Limits.RESUMABLE_MAX_OPEN, "2")));
    }

    @AfterAll
    static void stop() {
        p.close();
    }

    private static UUID user() {
        String n = "u" + UUID.randomUUID().toString().substring(0, 8);
        User u = p.users().create(n, n + "@example.org", "h");
        return u.id();
    }

    @Test
    void settings_expiryAndOpenUploadsPerAccount() {
        assertEquals(Duration.ofHours(2), p.config().resumableExpiry());
        assertEquals(2, p.config().limits().resumableMaxOpen());
        UUID owner = user();
        Instant before = Instant.now();
        ResumableUpload first = p.resumableUploads().create(owner, 100, null, null);
        Instant after = Instant.now();
        assertTrue(!first.expiresAt().isBefore(before.plus(Duration.ofHours(2)).minusSeconds(1))
                && !first.expiresAt().isAfter(after.plus(Duration.ofHours(2)).plusSeconds(1)), first.expiresAt().toString());
        p.resumableUploads().create(owner, 100, null, null);
        ResumableUploadException e = assertThrows(ResumableUploadException.class,
                () -> p.resumableUploads().create(owner, 100, null, null));
        assertEquals(ResumableUploadException.Reason.TOO_MANY_OPEN, e.reason());
        assertTrue(e.getMessage().contains(Limits.RESUMABLE_MAX_OPEN), e.getMessage());
        // the cap is per account
        p.resumableUploads().create(user(), 100, null, null);
        // deleting one makes room again
        assertTrue(p.resumableUploads().delete(owner, first.id()));
        p.resumableUploads().create(owner, 100, null, null);
    }
}
