package dev.vsa.server.auth;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A CPU budget for password hashing: a bucket of CPU time that fills at {@code millicores} (500: half a core) up to
 * what {@link #BURST} of filling gives, and empties by the CPU time each hash took. Admitting a hash reserves the
 * CPU time the last hash took (its cost is much the same each time), so hashes admitted together, before any is done,
 * take no more than the bucket holds; when one is done its reservation is settled against what it really took (so
 * a hash may overdraw the bucket by what it cost beyond the last). A hash that does not fit is refused at once, with
 * the wait until it would. A quiet server thus answers logins as before (the bucket is full), while a flood of them
 * takes at most that share of the CPU on average, however idle or busy the hashing threads are.
 */
public final class HashBudget {
    /** Filling time the bucket holds: a quiet server may hash this long at the budget's rate in one go. */
    public static final Duration BURST = Duration.ofSeconds(20);

    /**
     * The answer to {@link #admit}: admitted ({@code waitNanos} 0) with {@code reservedNanos} of CPU time taken from
     * the bucket until {@link #settle settled}, or refused with the wait before a hash would fit.
     */
    public record Admission(long waitNanos, long reservedNanos) {
        /** Whether the hash may run. */
        public boolean admitted() {
            return waitNanos == 0;
        }
    }

    private final long nanosPerSecond;
    private final long capacity;
    private final LongSupplier ticker;
    private long level;
    private long last;
    /** CPU time of the last hash done (0 before the first: nothing is reserved for it). */
    private long lastCost;

    /**
     * @param millicores CPU share hashing may use on average, in thousandths of a core (at least 1)
     * @param ticker     monotonic nanoseconds ({@code System::nanoTime}; tests pass their own)
     */
    public HashBudget(int millicores, LongSupplier ticker) {
        if (millicores < 1) {
            throw new IllegalArgumentException("the hashing budget must be at least 1 millicore, was " + millicores);
        }
        this.nanosPerSecond = millicores * 1_000_000L;
        this.capacity = Math.multiplyExact(BURST.toSeconds(), nanosPerSecond);
        this.ticker = ticker;
        this.level = capacity;
        this.last = ticker.getAsLong();
    }

    /**
     * Admits a hash if the bucket holds the CPU time the last one took (a full bucket always admits one, however
     * costly), reserving that time; else says how long to wait. An admitted hash must be {@link #settle settled}.
     */
    public synchronized Admission admit() {
        refill();
        // (before any hash is measured, 1 ns: the bucket must not be empty)
        long need = Math.min(Math.max(1, lastCost), capacity);
        if (level >= need) {
            level -= lastCost;
            return new Admission(0, lastCost);
        }
        return new Admission(Math.max(1, (long) Math.ceil((need - level) * 1e9 / nanosPerSecond)), 0);
    }

    /** Settles an admitted hash: gives back its reservation and takes the CPU time it used. */
    public synchronized void settle(Admission admitted, long cpuNanos) {
        refill();
        long used = Math.max(0, cpuNanos);
        level = Math.min(capacity, level + admitted.reservedNanos() - used);
        if (used > 0) {
            lastCost = used;
        }
    }

    /**
     * What a hash costs before any admitted one was settled: the CPU time of a hash done outside the budget (the
     * hasher's own, at start-up), taken from nothing. Without it, a burst on a fresh server reserves nothing and is
     * admitted whole.
     */
    public synchronized void expect(long cpuNanos) {
        if (lastCost == 0 && cpuNanos > 0) {
            lastCost = cpuNanos;
        }
    }

    /** Gives back the reservation of an admitted hash that did not run. */
    public synchronized void release(Admission admitted) {
        refill();
        level = Math.min(capacity, level + admitted.reservedNanos());
    }

    private void refill() {
        long now = ticker.getAsLong();
        long elapsed = now - last;
        last = now;
        if (elapsed > 0) {
            level = (long) Math.min(capacity, level + elapsed / 1e9 * nanosPerSecond); // (double: no overflow)
        }
    }
}
