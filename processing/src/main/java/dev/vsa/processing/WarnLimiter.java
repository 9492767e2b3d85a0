package dev.vsa.processing;

import org.slf4j.Logger;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Logs a recurring failure at WARN at most once per interval, saying how many were held back since: an outage
 * shows in the log at once and then once a minute, instead of once per poll per worker.
 */
final class WarnLimiter {
    private final Logger log;
    private final long intervalNanos;
    private final AtomicLong next = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong held = new AtomicLong();

    WarnLimiter(Logger log, Duration interval) {
        this.log = log;
        this.intervalNanos = interval.toNanos();
    }

    /** Logs {@code message} (with slf4j {@code {}} arguments) unless one was logged within the interval. */
    void warn(String message, Object... args) {
        long now = System.nanoTime();
        long due = next.get();
        if ((due != Long.MIN_VALUE && now - due < 0) || !next.compareAndSet(due, now + intervalNanos)) {
            held.incrementAndGet();
            return;
        }
        long skipped = held.getAndSet(0);
        log.warn(skipped == 0 ? message : message + " (" + skipped + " more like it since the last report)", args);
    }
}
