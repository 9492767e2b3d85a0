package dev.vsa.server.auth;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
    void hash_burstOnAFreshHasher_admittedOnlyAsFarAsTheBudgetHolds() throws Exception {
        AtomicLong now = new AtomicLong();
        // 5 millicores: the bucket holds 100 ms of CPU, one or two bcrypt hashes at cost 10. No hash was admitted
        // yet, so none was measured through the budget: a burst reserving nothing was admitted whole (16 of 16).
        HashBudget budget = new HashBudget(5, now::get);
        int threads = 16;
        try (PasswordHasher h = new PasswordHasher(PasswordHasher.MIN_COST, threads, 0, 0, budget)) {
            ExecutorService callers = Executors.newFixedThreadPool(threads);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Boolean>> all = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    all.add(callers.submit(() -> {
                        start.await();
                        try {
                            h.hash("a password");
                            return true;
                        } catch (PasswordHasher.Busy busy) {
                            return false;
                        }
                    }));
                }
                start.countDown();
                int admitted = 0;
                for (Future<Boolean> f : all) {
                    admitted += f.get() ? 1 : 0;
                }
                assertTrue(admitted >= 1 && admitted <= 4, admitted + " of " + threads + " admitted");
            } finally {
                callers.shutdownNow();
            }
        }
    }

    @Test
    void hash_notDoneWithinTheTimeout_busyAndDroppedFromTheQueue() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch holding = new CountDownLatch(1);
        // Deterministic whatever the timeout: the queued hash cannot start until the test lets the thread go. The
        // timeout is only long enough that a trivial task, afterwards, finishes within it on a loaded machine.
        try (PasswordHasher h = new PasswordHasher(PasswordHasher.MIN_COST, 1, 1, 0, false, null,
                java.time.Duration.ofSeconds(2))) {
            ExecutorService caller = Executors.newSingleThreadExecutor();
            try {
                // the one hashing thread is held until the test lets it go: the next hash waits in the queue
                Future<Object> held = caller.submit(() -> h.run(() -> {
                    holding.countDown();
                    return release.await(1, java.util.concurrent.TimeUnit.MINUTES);
                }));
                holding.await();
                PasswordHasher.Busy busy = assertThrows(PasswordHasher.Busy.class, () -> h.hash("queued password"));
                assertTrue(busy.getMessage().contains("auth.hash-timeout-seconds"), busy.getMessage());
                assertTrue(busy.retryAfterSeconds() >= 1);
                // the held call's own wait may have timed out too (it outlasts the timeout): at least this one
                assertTrue(h.timedOut() >= 1, h.timedOut() + " timed out");
                assertEquals(0, h.queued(), "the hash that timed out left the queue");
                release.countDown();
                try {
                    held.get();
                } catch (java.util.concurrent.ExecutionException heldTimedOut) {
                    assertTrue(heldTimedOut.getCause() instanceof PasswordHasher.Busy, heldTimedOut.toString());
                }
                assertEquals("after", h.run(() -> "after"), "the pool works on after a timeout");
            } finally {
                release.countDown();
                caller.shutdownNow();
            }
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
