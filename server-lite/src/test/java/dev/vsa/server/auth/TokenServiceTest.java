package dev.vsa.server.auth;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenServiceTest {
    /** A clock the test moves by hand. */
    private static final class MovingClock extends Clock {
        final AtomicReference<Instant> now = new AtomicReference<>(Instant.now());

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }

    @Test
    void verifyAccess_rememberedTokenPastItsExpiry_refused() {
        MovingClock clock = new MovingClock();
        TokenService tokens = new TokenService(new byte[JwtSecrets.MIN_BYTES], "vsa", "vsa-api", Duration.ofMinutes(15), clock);
        UUID user = UUID.randomUUID();
        String token = tokens.issueAccess(user, "ada");
        assertEquals(Optional.of(user), tokens.verifyAccess(token));
        assertEquals(Optional.of(user), tokens.verifyAccess(token), "answered again (from what the first call kept)");

        clock.now.set(clock.now.get().plus(Duration.ofMinutes(16)));
        assertTrue(tokens.verifyAccess(token).isEmpty(), "a token verified before is still refused once it expired");
    }
}
