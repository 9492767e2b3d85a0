package dev.vsa.processing;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static dev.vsa.processing.ProcessingTestSupport.part;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** An upload retried with the same Idempotency-Key returns the first attempt's scene instead of adding one. */
class UploadIdempotencyTest {
    @TempDir
    static Path home;
    static Processing p;

    @BeforeAll
    static void start() {
        p = Processing.start(ProcessingTestSupport.config(home, TestDatabases.fresh(), Map.of()));
    }

    @AfterAll
    static void stop() {
        p.close();
    }

    @Test
    void upload_sameKey_sameScene_otherKeyOrOwner_newScene() throws Exception {
        User a = p.users().create("idem-a", "idem-a@example.org", "h");
        User b = p.users().create("idem-b", "idem-b@example.org", "h");
        Scene first = p.scenes().upload(a.id(), part("minimal.splat"), "k-1");
        Scene again = p.scenes().upload(a.id(), part("minimal.splat"), "k-1");
        assertEquals(first.id(), again.id());
        assertEquals(first.latestJobId(), again.latestJobId(), "no second process job");
        assertNotEquals(first.id(), p.scenes().upload(a.id(), part("minimal.splat"), "k-2").id());
        assertNotEquals(first.id(), p.scenes().upload(b.id(), part("minimal.splat"), "k-1").id(), "keys are per owner");
        assertNotEquals(first.id(), p.scenes().upload(a.id(), part("minimal.splat")).id(), "no key: always a new scene");
        assertEquals(3, p.scenes().list(a.id(), 50, null).items().size());
        assertThrows(IllegalArgumentException.class, () -> p.scenes().upload(a.id(), part("minimal.splat"), "bad key"));
    }
}
