package dev.vsa.processing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two API processes on one database (two engines, two pools): a token revoked or an account deleted through one is
 * refused by the other as soon as the change's notice reaches its change feed, not when its cached answer expires
 * ({@link PrincipalCache#TTL}). Deterministic: the test waits for the other engine to have heard the notice (a
 * count, bounded wait), then asks it.
 */
class PrincipalNoticesTest {
    @TempDir
    Path home;

    /** Runs {@code lookup} until {@code p} answers it from memory (its change feed must be up for that). */
    private static void awaitCached(Processing p, BooleanSupplier lookup) throws InterruptedException {
        ProcessingTestSupport.await("the second process caching the lookup", () -> {
            assertTrue(lookup.getAsBoolean(), "found before the change");
            return p.principals().size() > 0;
        });
    }

    @Test
    void revokeAndDelete_inOneProcess_theOtherRefusesAsSoonAsItHearsTheNotice() throws Exception {
        String url = TestDatabases.fresh();
        try (Processing first = Processing.start(ProcessingTestSupport.config(home.resolve("1"), url, Map.of()));
             Processing second = Processing.start(ProcessingTestSupport.config(home.resolve("2"), url, Map.of()))) {
            User ada = first.users().create("ada", "ada@example.org", "h");
            String secret = first.tokens().create(ada.id(), "ci", EnumSet.of(Scope.SCENES_READ), null).secret();

            awaitCached(second, () -> second.tokens().authenticate(secret).isPresent());
            long heard = second.principals().heard();
            UUID tokenId = second.tokens().authenticate(secret).orElseThrow().tokenId();
            assertTrue(first.tokens().revoke(ada.id(), tokenId));
            ProcessingTestSupport.await("the second process hearing of the revocation",
                    () -> second.principals().heard() > heard);
            assertFalse(second.tokens().authenticate(secret).isPresent(), "a revoked token is refused");

            awaitCached(second, () -> second.users().findSignedIn(ada.id()).isPresent());
            long heard2 = second.principals().heard();
            assertTrue(first.users().delete(ada.id()));
            ProcessingTestSupport.await("the second process hearing of the deletion",
                    () -> second.principals().heard() > heard2);
            assertFalse(second.users().findSignedIn(ada.id()).isPresent(), "a deleted account is refused");
        }
    }
}
