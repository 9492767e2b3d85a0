package dev.vsa.processing;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrincipalCacheTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final java.util.concurrent.atomic.AtomicBoolean hearing = new java.util.concurrent.atomic.AtomicBoolean(true);
    private final PrincipalCache cache = new PrincipalCache(now::get, hearing::get);

    @Test
    void get_afterTtl_isEmpty() {
        UUID u = UUID.randomUUID();
        cache.put(u, "alice", u, null, null, cache.generation());
        now.addAndGet(PrincipalCache.TTL.toNanos() - 1);
        assertEquals("alice", cache.get(u, String.class).orElseThrow());
        now.addAndGet(1);
        assertTrue(cache.get(u, String.class).isEmpty());
    }

    @Test
    void put_pastTheTokensExpiry_keepsNothing() {
        UUID u = UUID.randomUUID();
        cache.put("hash", "owner", u, UUID.randomUUID(), Instant.now().minusSeconds(1), cache.generation());
        assertTrue(cache.get("hash", String.class).isEmpty());
    }

    @Test
    void forgetUser_dropsTheAccountAndItsTokens_andNotOthers() {
        UUID u = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        cache.put(u, "alice", u, null, null, cache.generation());
        cache.put("alice-token", "alice", u, UUID.randomUUID(), null, cache.generation());
        cache.put(other, "bob", other, null, null, cache.generation());
        cache.forgetUser(u);
        assertTrue(cache.get(u, String.class).isEmpty());
        assertTrue(cache.get("alice-token", String.class).isEmpty());
        assertEquals("bob", cache.get(other, String.class).orElseThrow());
    }

    @Test
    void forgetToken_dropsThatToken() {
        UUID u = UUID.randomUUID();
        UUID token = UUID.randomUUID();
        cache.put("t1", "alice", u, token, null, cache.generation());
        cache.put("t2", "alice", u, UUID.randomUUID(), null, cache.generation());
        cache.forgetToken(token);
        assertTrue(cache.get("t1", String.class).isEmpty());
        assertEquals("alice", cache.get("t2", String.class).orElseThrow());
    }

    @Test
    void put_ofALookupThatRacedAForget_isNotKept() {
        UUID u = UUID.randomUUID();
        long seen = cache.generation(); // the lookup starts, reads the row...
        cache.forgetUser(u);            // ...the account is deleted meanwhile...
        cache.put(u, "alice", u, null, null, seen); // ...and the stale answer arrives
        assertTrue(cache.get(u, String.class).isEmpty());
    }

    @Test
    void put_pastMaxEntries_staysBounded() {
        for (int i = 0; i < PrincipalCache.MAX_ENTRIES + 10; i++) {
            UUID u = UUID.randomUUID();
            cache.put(u, "x", u, null, null, cache.generation());
        }
        assertTrue(cache.size() <= PrincipalCache.MAX_ENTRIES, "size " + cache.size());
    }

    @Test
    void hear_notices_forgetWhatTheyName_nullForgetsAll() {
        UUID u = UUID.randomUUID();
        UUID token = UUID.randomUUID();
        cache.put("t1", "alice", u, token, null, cache.generation());
        cache.put(u, "alice", u, null, null, cache.generation());
        cache.hear("token:" + token);
        assertTrue(cache.get("t1", String.class).isEmpty());
        assertEquals("alice", cache.get(u, String.class).orElseThrow());
        cache.hear("someone else's payload");
        cache.hear(null); // the feed reconnected: notices may have been missed
        assertEquals(0, cache.size());
        assertEquals(3, cache.heard());
    }

    @Test
    void feedDown_nothingAnsweredOrKept() {
        UUID u = UUID.randomUUID();
        cache.put(u, "alice", u, null, null, cache.generation());
        hearing.set(false);
        assertTrue(cache.get(u, String.class).isEmpty(), "a notice may be missed now");
        UUID v = UUID.randomUUID();
        cache.put(v, "bob", v, null, null, cache.generation());
        hearing.set(true);
        assertTrue(cache.get(v, String.class).isEmpty());
    }
}
