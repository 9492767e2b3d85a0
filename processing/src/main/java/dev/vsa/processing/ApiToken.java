package dev.vsa.processing;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * A personal access token as listed (never with its secret).
 *
 * @param expiresAt  null if it does not expire
 * @param lastUsedAt when it last authenticated a request (updated at most once a minute), or null
 * @param revokedAt  when its owner revoked it, or null
 */
public record ApiToken(UUID id, String name, Set<Scope> scopes, Instant expiresAt, Instant lastUsedAt,
                       Instant revokedAt, Instant createdAt) {
    public ApiToken {
        scopes = Set.copyOf(scopes);
    }

    /** Whether it authenticates requests at {@code now}. */
    public boolean active(Instant now) {
        return revokedAt == null && (expiresAt == null || expiresAt.isAfter(now));
    }
}
