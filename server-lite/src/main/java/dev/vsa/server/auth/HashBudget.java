package dev.vsa.server.auth;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A CPU budget for password hashing: a bucket of CPU time that fills at {@code millicores} (500: half a core) up to
 * what {@link #BURST} of filling gives, and empties by the CPU time each hash took. A hash is admitted while the
 * bucket holds any (so one may overdraw it by a hash); past that it is refused at once, with the wait until the
 * bucket is positive again. A quiet server thus answers logins as before (the bucket is full), while a flood of them
 * takes at most that share of the CPU on average, however idle or busy the hashing threads are.
 */
public final class HashBudget {
    /** Filling time the bucket holds: a quiet server may hash this long at the budget's rate in one go. */
    public static final Duration BURST = Duration.ofSeconds(20);

    private final long nanosPerSecond;
    private final long capacity;
    private final LongSupplier ticker;
    private long level;
    private long last;

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
     * Admits a hash (0) or says how long to wait before one would be (nanoseconds, positive). Admitting reserves
     * nothing: the hash is {@link #charge charged} when it is done.
     */
    public synchronized long admit() {
        refill();
        return level > 0 ? 0 : Math.max(1, (long) Math.ceil((1 - level) * 1e9 / nanosPerSecond));
    }

    /** Takes the CPU time a hash used from the bucket. */
    public synchronized void charge(long cpuNanos) {
        refill();
        level -= Math.max(0, cpuNanos);
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
