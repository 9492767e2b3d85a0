package dev.vsa.server.auth;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PasswordHasherTest {
    @Test
    void hash_pastTheCpuBudget_refusedAtOnceWithRetryAfter_andAdmittedOnceRefilled() {
        AtomicLong now = new AtomicLong(); // time stands still unless the test moves it
        // 1 millicore: the bucket holds 20 ms of CPU, less than one bcrypt hash at cost 10 takes.
        HashBudget budget = new HashBudget(1, now::get);
        try (PasswordHasher h = new PasswordHasher(PasswordHasher.MIN_COST, 2, 2, 0, budget)) {
            String hash = h.hash("first password");
            PasswordHasher.Busy busy = assertThrows(PasswordHasher.Busy.class, () -> h.verify("first password", hash),
                    "the first hash spent the budget: the next is refused before it is computed");
            assertTrue(busy.retryAfterSeconds() >= 1, "a Retry-After of " + busy.retryAfterSeconds() + " s");
            assertEquals(1, h.rejected());
            now.addAndGet(busy.retryAfterSeconds() * 1_000_000_000L);
            assertTrue(h.verify("first password", hash), "the debt repaid: admitted again");
        }
    }

    @Test
    void hash_withoutBudget_onlyThePoolBoundsIt() {
        try (PasswordHasher h = new PasswordHasher(PasswordHasher.MIN_COST, 1, 1, 0, null)) {
            String hash = h.hash("some password");
            for (int i = 0; i < 3; i++) {
                assertTrue(h.verify("some password", hash));
            }
            assertEquals(0, h.rejected());
        }
    }
}
