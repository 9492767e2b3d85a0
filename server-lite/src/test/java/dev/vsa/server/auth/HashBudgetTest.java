package dev.vsa.server.auth;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HashBudgetTest {
    private static final long S = TimeUnit.SECONDS.toNanos(1);

    @Test
    void admit_quietServerTakesTheBurst_thenRefusesUntilRefilledAtTheRate() {
        AtomicLong now = new AtomicLong(123);
        HashBudget b = new HashBudget(500, now::get); // half a core: the bucket holds 10 s of CPU
        for (int i = 0; i < 10; i++) {
            HashBudget.Admission a = b.admit();
            assertTrue(a.admitted(), "hash " + i + " fits the burst");
            b.settle(a, S);
        }
        HashBudget.Admission spent = b.admit();
        assertFalse(spent.admitted(), "spent: refused");
        assertEquals(2 * S, spent.waitNanos(), 10, "a hash's 1 s of CPU at half a core: 2 s to wait");
        now.addAndGet(S);
        assertEquals(S, b.admit().waitNanos(), 10, "half of it refilled after 1 s");
        now.addAndGet(S + 10);
        assertTrue(b.admit().admitted(), "refilled");
    }

    @Test
    void admit_aHashCostlierThanTheBucket_overdrawsIt_andTheNextWaitsForAFullBucket() {
        AtomicLong now = new AtomicLong();
        HashBudget b = new HashBudget(250, now::get); // 5 s of CPU in the bucket
        HashBudget.Admission first = b.admit();
        assertTrue(first.admitted());
        b.settle(first, 7 * S); // 2 s in debt
        assertEquals(28 * S, b.admit().waitNanos(), 1_000, "7 s of CPU to a full bucket at a quarter core: 28 s");
        now.addAndGet(28 * S + 10);
        assertTrue(b.admit().admitted(), "a full bucket admits a hash however costly");
    }

    @Test
    void admit_longIdle_refillsOnlyToTheBurst() {
        AtomicLong now = new AtomicLong();
        HashBudget b = new HashBudget(1000, now::get);
        now.addAndGet(TimeUnit.DAYS.toNanos(400));
        HashBudget.Admission a = b.admit();
        b.settle(a, HashBudget.BURST.toNanos() + S); // the whole burst and one second more
        assertFalse(b.admit().admitted(), "a long idle time gives no more than the burst");
    }

    @Test
    void new_zeroMillicores_refused() {
        assertThrows(IllegalArgumentException.class, () -> new HashBudget(0, System::nanoTime));
    }

    @Test
    void admit_concurrentBurst_neverAdmitsMoreThanTheBucketHolds() throws Exception {
        AtomicLong now = new AtomicLong();
        HashBudget b = new HashBudget(250, now::get); // 5 s of CPU in the bucket
        b.settle(b.admit(), S); // one hash measured: 1 s of CPU
        now.addAndGet(10 * S); // full again
        List<HashBudget.Admission> admitted = burst(b, 16);
        assertEquals(5, admitted.size(), "5 s of CPU, 1 s a hash: the burst is admitted only as far as it fits");
        for (HashBudget.Admission a : admitted) {
            b.settle(a, S);
        }
        assertEquals(4 * S, b.admit().waitNanos(), 1_000, "the bucket is empty, not overdrawn: 1 s of CPU to wait for");
    }

    @Test
    void release_anAdmittedHashThatDidNotRun_givesItsReservationBack() throws Exception {
        AtomicLong now = new AtomicLong();
        HashBudget b = new HashBudget(250, now::get);
        b.settle(b.admit(), S);
        now.addAndGet(10 * S);
        for (HashBudget.Admission a : burst(b, 16)) {
            b.release(a); // refused by a full pool, say
        }
        assertEquals(5, burst(b, 16).size(), "nothing was spent");
    }

    /** {@code threads} admissions at once; the admitted ones. */
    private static List<HashBudget.Admission> burst(HashBudget b, int threads) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<HashBudget.Admission>> all = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                all.add(pool.submit(() -> {
                    start.await();
                    return b.admit();
                }));
            }
            start.countDown();
            List<HashBudget.Admission> admitted = new ArrayList<>();
            for (Future<HashBudget.Admission> f : all) {
                if (f.get().admitted()) {
                    admitted.add(f.get());
                }
            }
            return admitted;
        } finally {
            pool.shutdownNow();
        }
    }
}
