package dev.vsa.processing;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UserServiceTest {
    @TempDir
    static Path home;
    static Processing p;

    @BeforeAll
    static void start() {
        p = Processing.start(ProcessingTestSupport.config(home, TestDatabases.fresh(), Map.of()));
        p.users().create("grace", "grace@example.org", "hash");
    }

    @AfterAll
    static void stop() {
        p.close();
    }

    @ParameterizedTest
    @CsvSource({"grace, other@example.org, username", "GRACE, other@example.org, username",
            "other, Grace@Example.org, email"})
    void create_taken_duplicateNamesField(String username, String email, String field) {
        DuplicateException e = assertThrows(DuplicateException.class, () -> p.users().create(username, email, "h"));
        assertEquals(field, e.field());
    }

    @Test
    void create_sameNameAfterNormalization_duplicate() {
        p.users().create("iris", "iris@example.org", "h");
        // U+0130 (capital I with dot above): PostgreSQL's lower() and the old throttle key disagreed on it.
        for (String twin : new String[] {"\u0130ris", "IRIS", "\u0131ris", "\uFF49ris"}) {
            DuplicateException e = assertThrows(DuplicateException.class,
                    () -> p.users().create(twin, "twin" + twin.codePointAt(0) + "@example.org", "h"), twin);
            assertEquals("username", e.field());
            assertEquals("iris@example.org", p.users().findByUsername(twin).orElseThrow().email(), twin);
        }
    }

    @Test
    void find_anyCase() {
        User u = p.users().findByUsername("Grace").orElseThrow();
        assertEquals("grace@example.org", u.email());
        assertEquals(u, p.users().findById(u.id()).orElseThrow());
        assertEquals(u, p.users().findByEmail("GRACE@example.org").orElseThrow());
        assertTrue(p.users().findById(UUID.randomUUID()).isEmpty());
    }

    @Test
    void consumeRefreshToken_rotatesOnce() {
        User u = p.users().create("tok", "tok@example.org", "h");
        p.users().storeRefreshToken(u.id(), "h1", Instant.now().plusSeconds(600));
        assertEquals(Optional.of(u.id()), p.users().consumeRefreshToken("h1"));
        assertTrue(p.users().consumeRefreshToken("h1").isEmpty(), "a token works once");
        assertTrue(p.users().consumeRefreshToken("unknown").isEmpty());
    }

    @Test
    void consumeRefreshToken_reuse_revokesAllOfThatUser() {
        User u = p.users().create("reuse", "reuse@example.org", "h");
        p.users().storeRefreshToken(u.id(), "r1", Instant.now().plusSeconds(600));
        assertTrue(p.users().consumeRefreshToken("r1").isPresent());
        p.users().storeRefreshToken(u.id(), "r2", Instant.now().plusSeconds(600)); // the rotated one
        assertTrue(p.users().consumeRefreshToken("r1").isEmpty()); // stolen r1 replayed
        assertTrue(p.users().consumeRefreshToken("r2").isEmpty(), "the replay revoked the live token too");
    }

    @Test
    void consumeRefreshToken_expired_empty() {
        User u = p.users().create("exp", "exp@example.org", "h");
        p.users().storeRefreshToken(u.id(), "e1", Instant.now().minusSeconds(1));
        assertTrue(p.users().consumeRefreshToken("e1").isEmpty());
    }

    @Test
    void revoke_oneAndAll() {
        User u = p.users().create("rev", "rev@example.org", "h");
        p.users().storeRefreshToken(u.id(), "a", Instant.now().plusSeconds(600));
        p.users().storeRefreshToken(u.id(), "b", Instant.now().plusSeconds(600));
        p.users().storeRefreshToken(u.id(), "c", Instant.now().plusSeconds(600));
        assertTrue(p.users().revokeRefreshToken("a"));
        assertFalse(p.users().revokeRefreshToken("a"));
        assertEquals(2, p.users().revokeAllRefreshTokens(u.id()));
        assertTrue(p.users().consumeRefreshToken("b").isEmpty());
    }

    @Test
    void delete_removesUserScenesAndObjects() throws Exception {
        User u = p.users().create("del", "del@example.org", "h");
        Scene s = p.scenes().upload(u.id(), ProcessingTestSupport.part("minimal.splat"));
        assertFalse(p.store().list("scenes/" + s.id() + "/").isEmpty());
        assertTrue(p.users().delete(u.id()));
        assertTrue(p.users().findById(u.id()).isEmpty());
        p.startWorkers(1); // the objects go through the queue: a purge job per scene, committed with the delete
        ProcessingTestSupport.await("the scene's objects purged", () -> {
            try {
                return p.store().list("scenes/" + s.id() + "/").isEmpty();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertFalse(p.users().delete(u.id()));
    }

    @Test
    void create_blank_rejected() {
        assertThrows(IllegalArgumentException.class, () -> p.users().create(" ", "x@example.org", "h"));
    }
}
