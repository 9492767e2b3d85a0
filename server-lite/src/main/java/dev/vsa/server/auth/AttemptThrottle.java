package dev.vsa.server.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Attempts per key in a sliding window, reserved before the work they stand for: {@link #tryAcquire} checks every
 * key's count and, only if all are under their limit, records the attempt under each at once (one lock), so N
 * simultaneous requests against a limit of 5 let exactly 5 through, whatever the work then costs. An attempt
 * stays counted unless its caller {@link Attempt#release releases} it (the work never ran) or a success
 * {@link Attempt#clear clears} a key. Kept in memory: one instance's view.
 */
public final class AttemptThrottle {
    /** A key and how many attempts it may have in the window. */
    public record Limit(String key, int max) {
    }

    /** The attempt was refused: retry after this long. */
    public static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Duration retryAfter;

        Refused(Duration retryAfter) {
            super("throttled for " + retryAfter, null, false, false);
            this.retryAfter = retryAfter;
        }

        public Duration retryAfter() {
            return retryAfter;
        }

        /** Whole seconds to send as {@code Retry-After} (at least 1). */
        public long retryAfterSeconds() {
            return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        }
    }

    /** A reserved attempt. */
    public final class Attempt {
        private final List<Limit> limits;
        private final Instant at;

        private Attempt(List<Limit> limits, Instant at) {
            this.limits = limits;
            this.at = at;
        }

        /** Un-counts this attempt under every key (the work it reserved did not run). */
        public void release() {
            lock.lock();
            try {
                for (Limit l : limits) {
                    Deque<Instant> d = attempts.get(l.key());
                    if (d != null) {
                        d.removeLastOccurrence(at);
                        if (d.isEmpty()) {
                            attempts.remove(l.key());
                        }
                    }
                }
            } finally {
                lock.unlock();
            }
        }

        /** Forgets every attempt of {@code key} (a login's success clears its username, not its address). */
        public void clear(String key) {
            lock.lock();
            try {
                attempts.remove(key);
            } finally {
                lock.unlock();
            }
        }
    }

    /** Past this many tracked keys, expired ones are swept, so spraying keys cannot grow memory unbounded. */
    private static final int SWEEP_AT = 100_000;

    private final Duration window;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Deque<Instant>> attempts = new HashMap<>();

    public AttemptThrottle(Duration window, Clock clock) {
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("throttle window must be positive, was " + window);
        }
        this.window = window;
        this.clock = clock;
    }

    /**
     * Reserves one attempt under every key, or none.
     *
     * @throws Refused if a key is at its limit (with the time until its oldest attempt leaves the window)
     */
    public Attempt tryAcquire(List<Limit> limits) {
        Instant now = clock.instant();
        lock.lock();
        try {
            if (attempts.size() > SWEEP_AT) {
                attempts.values().forEach(d -> prune(d, now));
                attempts.values().removeIf(Deque::isEmpty);
            }
            Duration wait = null;
            for (Limit l : limits) {
                Deque<Instant> d = attempts.get(l.key());
                if (d == null) {
                    continue;
                }
                prune(d, now);
                if (d.size() >= l.max()) {
                    Duration w = Duration.between(now, d.peekFirst().plus(window));
                    wait = wait == null || w.compareTo(wait) > 0 ? w : wait;
                }
            }
            if (wait != null) {
                throw new Refused(wait);
            }
            for (Limit l : limits) {
                attempts.computeIfAbsent(l.key(), k -> new ArrayDeque<>()).addLast(now);
            }
            return new Attempt(List.copyOf(limits), now);
        } finally {
            lock.unlock();
        }
    }

    /** How long until an attempt under these limits would be let through, or empty if it would be now. */
    public Optional<Duration> wouldWait(List<Limit> limits) {
        Instant now = clock.instant();
        lock.lock();
        try {
            Duration wait = null;
            for (Limit l : limits) {
                Deque<Instant> d = attempts.get(l.key());
                if (d != null) {
                    prune(d, now);
                    if (d.size() >= l.max()) {
                        Duration w = Duration.between(now, d.peekFirst().plus(window));
                        wait = wait == null || w.compareTo(wait) > 0 ? w : wait;
                    }
                }
            }
            return Optional.ofNullable(wait);
        } finally {
            lock.unlock();
        }
    }

    private void prune(Deque<Instant> d, Instant now) {
        Instant cutoff = now.minus(window);
        while (!d.isEmpty() && !d.peekFirst().isAfter(cutoff)) {
            d.pollFirst();
        }
    }
}
