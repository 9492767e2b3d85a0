package dev.vsa.processing;

import java.time.Instant;
import java.util.UUID;

/** A read-only link to a scene, as its owner lists it (never with its token). */
public record ShareLink(UUID id, UUID sceneId, Instant expiresAt, Instant revokedAt, Instant createdAt) {
    /** Whether the link opens the scene at {@code now}. */
    public boolean active(Instant now) {
        return revokedAt == null && expiresAt.isAfter(now);
    }
}
