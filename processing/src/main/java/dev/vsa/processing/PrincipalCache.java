package dev.vsa.processing;

import dev.vsa.processing.internal.Notifier;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Who sent a request, remembered for a few seconds: without it every authenticated request pays a database round
 * trip (and a pooled connection) to find its account before its own query; under bench/auth-load.sh that lookup was
 * one of a read's three. Keys are a user id (an access token's subject) or a personal access token's hash.
 *
 * <p>Bounded in age ({@link #TTL}, and never past a token's own expiry) and in size ({@link #MAX_ENTRIES}). Every
 * API process forgets an account's entries the moment the account is deleted, and a token's the moment it is
 * revoked: the process that made the change at once, the others when the notice the change committed with
 * ({@link #announce}, on {@link Notifier#PRINCIPALS_CHANNEL}) reaches their change feed, milliseconds later. A
 * lookup that raced such a change is not kept (the generation check in {@link #put}). While the change feed is
 * disconnected, notices may be missed: nothing is answered from memory then, and everything is forgotten when it
 * reconnects. Only a change made by hand in SQL, which sends no notice, is seen as late as {@link #TTL}.
 */
final class PrincipalCache {
    static final Duration TTL = Duration.ofSeconds(30);
    static final int MAX_ENTRIES = 10_000;

    private record Entry(Object value, UUID userId, UUID tokenId, long expiresNanos) {
    }

    private final ConcurrentHashMap<Object, Entry> entries = new ConcurrentHashMap<>();
    /** Bumped by every forget: a lookup that began before it may hold what was just forgotten. */
    private final AtomicLong generation = new AtomicLong();
    /** Notices {@link #hear heard} and acted on. */
    private final AtomicLong heard = new AtomicLong();
    private final LongSupplier nanoTime;
    /** Whether notices of other processes' changes reach this one now (the change feed is connected). */
    private final BooleanSupplier hearing;

    /** A cache that hears of other processes' changes while {@code hearing} says so, and answers only then. */
    PrincipalCache(BooleanSupplier hearing) {
        this(System::nanoTime, hearing);
    }

    PrincipalCache(LongSupplier nanoTime, BooleanSupplier hearing) {
        this.nanoTime = nanoTime;
        this.hearing = hearing;
    }

    private static final String USER = "user:";
    private static final String TOKEN = "token:";

    /**
     * Tells every process, in {@code tx} (so only if it commits, and as it commits), that an account was deleted.
     * Each forgets it ({@link #hear}); the caller forgets it in this process after the commit as well.
     */
    static void announceUser(Connection tx, UUID userId) throws SQLException {
        announce(tx, USER + userId);
    }

    /** As {@link #announceUser}, for a revoked personal access token. */
    static void announceToken(Connection tx, UUID tokenId) throws SQLException {
        announce(tx, TOKEN + tokenId);
    }

    private static void announce(Connection tx, String notice) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement("SELECT pg_notify(?, ?)")) {
            ps.setString(1, Notifier.PRINCIPALS_CHANNEL);
            ps.setString(2, notice);
            ps.execute();
        }
    }

    /**
     * A notice from the change feed: forgets what it names, or everything for null (notices may have been missed
     * while the feed was away). Unknown notices are ignored.
     */
    void hear(String notice) {
        if (notice == null) {
            generation.incrementAndGet();
            entries.clear();
            heard.incrementAndGet();
            return;
        }
        try {
            if (notice.startsWith(USER)) {
                forgetUser(UUID.fromString(notice.substring(USER.length())));
            } else if (notice.startsWith(TOKEN)) {
                forgetToken(UUID.fromString(notice.substring(TOKEN.length())));
            }
        } catch (IllegalArgumentException notOurs) {
            // someone else's payload on the channel
        }
        heard.incrementAndGet();
    }

    /** Notices heard so far, each counted once acted on. */
    long heard() {
        return heard.get();
    }

    /** Read before the database lookup whose answer is then {@link #put}. */
    long generation() {
        return generation.get();
    }

    <T> Optional<T> get(Object key, Class<T> type) {
        if (!hearing.getAsBoolean()) {
            return Optional.empty();
        }
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
        if (!hearing.getAsBoolean()) {
            return;
        }
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
