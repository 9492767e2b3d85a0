package dev.vsa.processing;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Who sent a request, remembered for a few seconds: without it every authenticated request pays a database round
 * trip (and a pooled connection) to find its account before its own query; under bench/auth-load.sh that lookup was
 * one of a read's three. Keys are a user id (an access token's subject) or a personal access token's hash.
 *
 * <p>Bounded in age ({@link #TTL}, and never past a token's own expiry) and in size ({@link #MAX_ENTRIES}). This
 * process forgets an account's entries the moment it deletes the account, and a token's the moment it revokes it; a
 * lookup that raced such a change is not kept (the generation check in {@link #put}). A change made by another
 * process (another API process behind the same load balancer, or SQL by hand) is seen within {@link #TTL}.
 */
final class PrincipalCache {
    static final Duration TTL = Duration.ofSeconds(30);
    static final int MAX_ENTRIES = 10_000;

    private record Entry(Object value, UUID userId, UUID tokenId, long expiresNanos) {
    }

    private final ConcurrentHashMap<Object, Entry> entries = new ConcurrentHashMap<>();
    /** Bumped by every forget: a lookup that began before it may hold what was just forgotten. */
    private final AtomicLong generation = new AtomicLong();
    private final LongSupplier nanoTime;

    PrincipalCache() {
        this(System::nanoTime);
    }

    PrincipalCache(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** Read before the database lookup whose answer is then {@link #put}. */
    long generation() {
        return generation.get();
    }

    <T> Optional<T> get(Object key, Class<T> type) {
        Entry e = entries.get(key);
        if (e == null) {
            return Optional.empty();
        }
        if (nanoTime.getAsLong() - e.expiresNanos >= 0) {
            entries.remove(key, e);
            return Optional.empty();
        }
        return Optional.of(type.cast(e.value));
    }

    /**
     * Keeps {@code value} unless something was forgotten since {@code seen} was read.
     *
     * @param tokenId   the personal access token it stands for, or null
     * @param notAfter  when it stops being valid anyway (a token's expiry), or null
     */
    void put(Object key, Object value, UUID userId, UUID tokenId, Instant notAfter, long seen) {
        long now = nanoTime.getAsLong();
        long ttl = TTL.toNanos();
        if (notAfter != null) {
            ttl = Math.min(ttl, Duration.between(Instant.now(), notAfter).toNanos());
            if (ttl <= 0) {
                return;
            }
        }
        if (entries.size() >= MAX_ENTRIES) {
            entries.values().removeIf(e -> now - e.expiresNanos >= 0);
            if (entries.size() >= MAX_ENTRIES) {
                entries.clear(); // all live: a burst of distinct callers; each pays one lookup again
            }
        }
        Entry e = new Entry(value, userId, tokenId, now + ttl);
        if (generation.get() == seen) {
            entries.put(key, e);
            if (generation.get() != seen) { // a forget ran meanwhile and may have missed this entry
                entries.remove(key, e);
            }
        }
    }

    void forgetUser(UUID userId) {
        generation.incrementAndGet();
        entries.values().removeIf(e -> e.userId.equals(userId));
    }

    void forgetToken(UUID tokenId) {
        generation.incrementAndGet();
        entries.values().removeIf(e -> tokenId.equals(e.tokenId));
    }

    int size() {
        return entries.size();
    }
}
