package dev.vsa.server.auth;

import dev.vsa.processing.Usernames;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Failed logins per username and per client address in a sliding window. An attempt is reserved before the
 * password is checked ({@link #tryAcquire}): it counts as a failure from that moment, so simultaneous guesses
 * cannot all be evaluated before the first is counted; a success clears the username's count (not the address's:
 * one account must not unlock guessing others). The username is keyed by {@link Usernames#key}, the same
 * normalization as the account lookup, so no spelling of a locked name gets past the lock. In memory, per
 * instance (N instances allow N times the rate; the bcrypt cost bounds the rest).
 */
public final class LoginThrottle {
    private final int maxPerUser;
    private final int maxPerAddress;
    private final AttemptThrottle attempts;

    public LoginThrottle(int maxPerUser, int maxPerAddress, Duration window, Clock clock) {
        if (maxPerUser < 1 || maxPerAddress < 1) {
            throw new IllegalArgumentException("login throttle limits must be positive");
        }
        this.maxPerUser = maxPerUser;
        this.maxPerAddress = maxPerAddress;
        this.attempts = new AttemptThrottle(window, clock);
    }

    /** A login attempt, counted as a failure until {@link #succeeded} or {@link #abandoned}. */
    public final class Login {
        private final AttemptThrottle.Attempt attempt;
        private final String userKey;

        private Login(AttemptThrottle.Attempt attempt, String userKey) {
            this.attempt = attempt;
            this.userKey = userKey;
        }

        /** The password was right: this attempt does not count, and the username's failures are forgotten. */
        public void succeeded() {
            attempt.release();
            attempt.clear(userKey);
        }

        /** The password was never checked (e.g. no hashing capacity): the attempt does not count. */
        public void abandoned() {
            attempt.release();
        }
    }

    /**
     * Reserves a login attempt for {@code username} from {@code address}.
     *
     * @throws AttemptThrottle.Refused if either has too many failures in the window
     */
    public Login tryAcquire(String username, String address) {
        String userKey = "u:" + Usernames.key(username);
        return new Login(attempts.tryAcquire(limits(userKey, address)), userKey);
    }

    private List<AttemptThrottle.Limit> limits(String userKey, String address) {
        return List.of(new AttemptThrottle.Limit(userKey, maxPerUser), new AttemptThrottle.Limit("a:" + address, maxPerAddress));
    }
}
