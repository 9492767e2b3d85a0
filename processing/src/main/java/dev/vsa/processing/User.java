package dev.vsa.processing;

import java.time.Instant;
import java.util.UUID;

/**
 * An account.
 *
 * @param passwordHash the hash the server stored (bcrypt); processing never sees passwords
 */
public record User(UUID id, String username, String email, String passwordHash, Instant createdAt) {
    /** Leaves the hash out. */
    @Override
    public String toString() {
        return "User[" + id + ", " + username + "]";
    }
}
