package dev.vsa.server.auth;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HashBudgetTest {
    private static final long S = TimeUnit.SECONDS.toNanos(1);

    @Test
    void admit_quietServerTakesTheBurst_thenRefusesUntilRefilledAtTheRate() {
        AtomicLong now = new AtomicLong(123);
        HashBudget b = new HashBudget(500, now::get); // half a core: the bucket holds 10 s of CPU
        for (int i = 0; i < 10; i++) {
            assertEquals(0, b.admit(), "hash " + i + " fits the burst");
            b.charge(S);
        }
        assertTrue(b.admit() > 0, "spent: refused");
        b.charge(S); // a hash that was admitted before takes the bucket to -1 s of CPU
        assertEquals(2 * S, b.admit(), 10, "1 s of CPU at half a core: 2 s to wait");
        now.addAndGet(S);
        assertEquals(S, b.admit(), 10, "half of the debt repaid after 1 s");
        now.addAndGet(S + 10);
        assertEquals(0, b.admit(), "repaid");
    }

    @Test
    void admit_oneHashMayOverdraw_andTheDebtIsRepaidAtTheRate() {
        AtomicLong now = new AtomicLong();
        HashBudget b = new HashBudget(250, now::get); // 5 s of CPU in the bucket
        assertEquals(0, b.admit());
        b.charge(7 * S); // 2 s in debt
        assertEquals(8 * S, b.admit(), 1_000, "2 s of CPU at a quarter core: 8 s");
        now.addAndGet(8 * S + 10);
        assertEquals(0, b.admit());
    }

    @Test
    void admit_longIdle_refillsOnlyToTheBurst() {
        AtomicLong now = new AtomicLong();
        HashBudget b = new HashBudget(1000, now::get);
        now.addAndGet(TimeUnit.DAYS.toNanos(400));
        b.charge(HashBudget.BURST.toNanos() + S); // the whole burst and one second more
        assertTrue(b.admit() > 0, "a long idle time gives no more than the burst");
    }

    @Test
    void new_zeroMillicores_refused() {
        assertThrows(IllegalArgumentException.class, () -> new HashBudget(0, System::nanoTime));
    }
}
