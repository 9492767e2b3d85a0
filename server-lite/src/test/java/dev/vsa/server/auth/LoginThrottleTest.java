package dev.vsa.server.auth;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LoginThrottleTest {
    /** A clock the test moves. */
    static final class TestClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void tryAcquire_afterMaxFailuresPerUser_refusedUntilTheOldestLeavesTheWindow() {
        TestClock clock = new TestClock();
        LoginThrottle t = new LoginThrottle(3, 100, Duration.ofMinutes(10), clock);
        for (int i = 0; i < 3; i++) {
            t.tryAcquire("ada", "10.0.0." + i); // reserved = counted until it succeeds
            clock.now = clock.now.plusSeconds(60);
        }
        assertEquals(Duration.ofMinutes(7), assertThrows(AttemptThrottle.Refused.class,
                () -> t.tryAcquire("ADA", "10.9.9.9")).retryAfter());
        assertThrows(AttemptThrottle.Refused.class, () -> t.tryAcquire("Ada", "x"));
        clock.now = clock.now.plus(Duration.ofMinutes(7));
        t.tryAcquire("ada", "10.9.9.9");
    }

    @Test
    void tryAcquire_keysTheNameLikeTheAccountLookup() {
        LoginThrottle t = new LoginThrottle(1, 100, Duration.ofMinutes(10), new TestClock());
        t.tryAcquire("iris", "a");
        assertThrows(AttemptThrottle.Refused.class, () -> t.tryAcquire("\u0130ris", "b"));
        assertThrows(AttemptThrottle.Refused.class, () -> t.tryAcquire("\u0131RIS", "c"));
    }

    @Test
    void tryAcquire_afterMaxFailuresPerAddress_refusedForEveryUsername() {
        TestClock clock = new TestClock();
        LoginThrottle t = new LoginThrottle(100, 3, Duration.ofMinutes(10), clock);
        for (int i = 0; i < 3; i++) {
            t.tryAcquire("user" + i, "10.0.0.1");
        }
        assertThrows(AttemptThrottle.Refused.class, () -> t.tryAcquire("someone-else", "10.0.0.1"));
        t.tryAcquire("someone-else", "10.0.0.2");
    }

    @Test
    void succeeded_clearsTheUsersFailuresAndDoesNotCount() {
        LoginThrottle t = new LoginThrottle(2, 2, Duration.ofMinutes(10), new TestClock());
        t.tryAcquire("ada", "a");
        t.tryAcquire("ada", "a").succeeded();
        t.tryAcquire("ada", "a");
        t.tryAcquire("bob", "b").abandoned();
        t.tryAcquire("bob", "b").abandoned();
        t.tryAcquire("bob", "b");
    }
}
