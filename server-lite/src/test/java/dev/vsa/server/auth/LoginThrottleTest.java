package dev.vsa.server.auth;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void blocked_afterMaxFailuresPerUser_untilTheOldestLeavesTheWindow() {
        TestClock clock = new TestClock();
        LoginThrottle t = new LoginThrottle(3, 100, Duration.ofMinutes(10), clock);
        for (int i = 0; i < 3; i++) {
            assertTrue(t.blocked("ada", "10.0.0." + i).isEmpty());
            t.recordFailure("ada", "10.0.0." + i);
            clock.now = clock.now.plusSeconds(60);
        }
        assertEquals(Duration.ofMinutes(7), t.blocked("ADA", "10.9.9.9").orElseThrow());
        clock.now = clock.now.plus(Duration.ofMinutes(7));
        assertTrue(t.blocked("ada", "10.9.9.9").isEmpty());
    }

    @Test
    void blocked_afterMaxFailuresPerAddress_forEveryUsername() {
        TestClock clock = new TestClock();
        LoginThrottle t = new LoginThrottle(100, 3, Duration.ofMinutes(10), clock);
        for (int i = 0; i < 3; i++) {
            t.recordFailure("user" + i, "10.0.0.1");
        }
        assertTrue(t.blocked("someone-else", "10.0.0.1").isPresent());
        assertTrue(t.blocked("someone-else", "10.0.0.2").isEmpty());
    }

    @Test
    void recordSuccess_clearsTheUsersFailures() {
        LoginThrottle t = new LoginThrottle(2, 100, Duration.ofMinutes(10), new TestClock());
        t.recordFailure("ada", "a");
        t.recordSuccess("ada");
        t.recordFailure("ada", "a");
        assertTrue(t.blocked("ada", "a").isEmpty());
    }
}
