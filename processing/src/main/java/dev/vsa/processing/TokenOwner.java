package dev.vsa.processing;

import java.util.Set;
import java.util.UUID;

/** Whom an API token authenticates, and what it may do. */
public record TokenOwner(User user, UUID tokenId, Set<Scope> scopes) {
    public TokenOwner {
        scopes = Set.copyOf(scopes);
    }
}
