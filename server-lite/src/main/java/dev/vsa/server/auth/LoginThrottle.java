package dev.vsa.server.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts failed logins per username and per client address in a sliding window; once either reaches its limit,
 * further attempts are refused until the oldest failure leaves the window. Kept in memory: one instance's view,
 * which bounds guessing per instance (N instances allow N times the rate; the bcrypt cost bounds the rest).
 */
public final class LoginThrottle {
    private final int maxPerUser;
    private final int maxPerAddress;
    private final Duration window;
    private final Clock clock;
    private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

    public LoginThrottle(int maxPerUser, int maxPerAddress, Duration window, Clock clock) {
        if (maxPerUser < 1 || maxPerAddress < 1 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("login throttle limits must be positive");
        }
        this.maxPerUser = maxPerUser;
        this.maxPerAddress = maxPerAddress;
        this.window = window;
        this.clock = clock;
    }

    /** How long the caller must wait before trying again, or empty when it may try now. */
    public Optional<Duration> blocked(String username, String address) {
        Instant now = clock.instant();
        Optional<Duration> u = wait("u:" + username.toLowerCase(java.util.Locale.ROOT), maxPerUser, now);
        Optional<Duration> a = wait("a:" + address, maxPerAddress, now);
        if (u.isPresent() && a.isPresent()) {
            return Optional.of(u.get().compareTo(a.get()) > 0 ? u.get() : a.get());
        }
        return u.isPresent() ? u : a;
    }

    public void recordFailure(String username, String address) {
        Instant now = clock.instant();
        add("u:" + username.toLowerCase(java.util.Locale.ROOT), now);
        add("a:" + address, now);
    }

    /** A success clears the username's failures (not the address's: one account must not unlock guessing others). */
    public void recordSuccess(String username) {
        failures.remove("u:" + username.toLowerCase(java.util.Locale.ROOT));
    }

    /** Past this many tracked keys, expired ones are swept, so spraying usernames cannot grow memory unbounded. */
    private static final int SWEEP_AT = 100_000;

    private void add(String key, Instant now) {
        if (failures.size() > SWEEP_AT) {
            failures.replaceAll((k, d) -> {
                prune(d, now);
                return d;
            });
            failures.values().removeIf(Deque::isEmpty);
        }
        failures.compute(key, (k, q) -> {
            Deque<Instant> d = q == null ? new ArrayDeque<>() : q;
            prune(d, now);
            d.addLast(now);
            return d;
        });
    }

    private Optional<Duration> wait(String key, int max, Instant now) {
        Duration[] out = {null};
        failures.computeIfPresent(key, (k, d) -> {
            prune(d, now);
            if (d.size() >= max) {
                out[0] = Duration.between(now, d.peekFirst().plus(window));
            }
            return d.isEmpty() ? null : d;
        });
        return Optional.ofNullable(out[0]);
    }

    private void prune(Deque<Instant> d, Instant now) {
        Instant cutoff = now.minus(window);
        while (!d.isEmpty() && !d.peekFirst().isAfter(cutoff)) {
            d.pollFirst();
        }
    }
}
