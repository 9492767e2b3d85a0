package dev.vsa.processing;

import dev.vsa.processing.internal.Database;
import dev.vsa.processing.internal.Rows;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Personal access tokens: {@code vsa_pat_} + 256 random bits (base64url), stored as their SHA-256 only, with
 * scopes, an optional expiry and a last-used time. Database failures throw {@link ProcessingException}.
 */
public final class ApiTokenService {
    /** Every token starts with this, so a leaked one is easy to recognise (and to scan for). */
    public static final String PREFIX = "vsa_pat_";
    /** Tokens one user may hold (revoked and expired ones included until deleted with the account). */
    public static final int MAX_PER_USER = 50;
    private static final int MAX_NAME = 100;
    /** last_used_at is written at most this often per token: a busy pipeline must not cost a write per request. */
    private static final long LAST_USED_GRANULARITY_S = 60;

    private final Database db;
    private final PrincipalCache principals;
    private final OwnerTurns ownerTurns;

    ApiTokenService(Database db, PrincipalCache principals, OwnerTurns ownerTurns) {
        this.db = db;
        this.principals = principals;
        this.ownerTurns = ownerTurns;
    }

    /**
     * Makes a token.
     *
     * @param expiresAt null for no expiry
     * @throws InvalidRequestException (field {@code name}, {@code scopes} or {@code expires_at}) for a blank or long
     *                                 name, no scope, an expiry in the past, or too many tokens
     */
    public ApiTokenSecret create(UUID ownerId, String name, Set<Scope> scopes, Instant expiresAt) {
        String n = name == null ? "" : name.strip();
        if (n.isEmpty() || n.length() > MAX_NAME) {
            throw new InvalidRequestException("name", "the token's name must be 1.." + MAX_NAME + " characters");
        }
        if (scopes == null || scopes.isEmpty()) {
            throw new InvalidRequestException("scopes", "give the token at least one scope");
        }
        if (expiresAt != null && !expiresAt.isAfter(Instant.now())) {
            throw new InvalidRequestException("expires_at", "the expiry must be in the future");
        }
        String secret = PREFIX + Secrets.random256();
        UUID id = UUID.randomUUID();
        try {
            ownerTurns.inTransaction(ownerId, c -> {
                ownerTurns.requireBelow(c, ownerId, "api_tokens", MAX_PER_USER, "name", "tokens");
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO api_tokens (id, owner_id, name, token_hash, "
                        + "scopes, expires_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                    ps.setObject(1, id);
                    ps.setObject(2, ownerId);
                    ps.setString(3, n);
                    ps.setString(4, Secrets.sha256Hex(secret));
                    ps.setArray(5, c.createArrayOf("text", scopes.stream().map(Scope::id).sorted().toArray()));
                    ps.setTimestamp(6, expiresAt == null ? null : Timestamp.from(expiresAt));
                    ps.executeUpdate();
                }
                return null;
            }, null);
        } catch (SQLException e) {
            throw ProcessingException.database(e);
        }
        return new ApiTokenSecret(list(ownerId).stream().filter(t -> t.id().equals(id)).findFirst().orElseThrow(), secret);
    }

    /** The owner's tokens, oldest first, revoked and expired ones included. */
    public List<ApiToken> list(UUID ownerId) {
        List<ApiToken> out = new ArrayList<>();
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT * FROM api_tokens WHERE owner_id = ? ORDER BY created_at, id")) {
            ps.setObject(1, ownerId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(token(rs));
                }
            }
        } catch (SQLException e) {
            throw ProcessingException.database(e);
        }
        return out;
    }

    /**
     * Revokes the owner's token: requests with it are refused at once by every API process ({@link PrincipalCache}).
     *
     * @return false if the owner has no such token (or it was revoked already)
     */
    public boolean revoke(UUID ownerId, UUID id) {
        try {
            boolean revoked = db.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("UPDATE api_tokens SET revoked_at = clock_timestamp() "
                        + "WHERE owner_id = ? AND id = ? AND revoked_at IS NULL")) {
                    ps.setObject(1, ownerId);
                    ps.setObject(2, id);
                    if (ps.executeUpdate() != 1) {
                        return false;
                    }
                }
                PrincipalCache.announceToken(c, id); // the other API processes forget it as this commits
                return true;
            });
            principals.forgetToken(id);
            return revoked;
        } catch (SQLException e) {
            throw ProcessingException.database(e);
        }
    }

    /**
     * The owner and scopes of an active token; empty for an unknown, revoked or expired one (one answer for
     * all, so a caller learns nothing about which). Answered for a few seconds from memory (each request through a
     * token asks), never past the token's expiry; every API process forgets it at once when the token is revoked or
     * its owner deleted ({@link PrincipalCache}). Its last-used time is written on the lookups that reach the database.
     */
    public Optional<TokenOwner> authenticate(String secret) {
        if (secret == null || !secret.startsWith(PREFIX) || secret.length() > 200) {
            return Optional.empty();
        }
        String hash = Secrets.sha256Hex(secret);
        Optional<TokenOwner> hit = principals.get(hash, TokenOwner.class);
        if (hit.isPresent()) {
            return hit;
        }
        long seen = principals.generation();
        try (Connection c = db.connection()) {
            UUID tokenId;
            Set<Scope> scopes;
            User user;
            Instant expires;
            try (PreparedStatement ps = c.prepareStatement("SELECT t.id AS token_id, t.scopes, "
                    + "t.expires_at, t.last_used_at < clock_timestamp() - make_interval(secs => ?) OR t.last_used_at IS NULL AS stale, "
                    + "u.id, u.username, u.email, u.password_hash, u.created_at FROM api_tokens t "
                    + "JOIN users u ON u.id = t.owner_id WHERE t.token_hash = ? AND t.revoked_at IS NULL "
                    + "AND (t.expires_at IS NULL OR t.expires_at > clock_timestamp())")) {
                ps.setLong(1, LAST_USED_GRANULARITY_S);
                ps.setString(2, hash);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    tokenId = Rows.uuid(rs, "token_id");
                    scopes = scopes(rs.getArray("scopes"));
                    expires = Rows.instant(rs, "expires_at");
                    user = new User(Rows.uuid(rs, "id"), rs.getString("username"), rs.getString("email"),
                            rs.getString("password_hash"), Rows.instant(rs, "created_at"));
                    if (rs.getBoolean("stale")) {
                        try (PreparedStatement u = c.prepareStatement("UPDATE api_tokens SET last_used_at = clock_timestamp() WHERE id = ?")) {
                            u.setObject(1, tokenId);
                            u.executeUpdate();
                        }
                    }
                }
            }
            TokenOwner owner = new TokenOwner(user, tokenId, scopes);
            principals.put(hash, owner, user.id(), tokenId, expires, seen);
            return Optional.of(owner);
        } catch (SQLException e) {
            throw ProcessingException.database(e);
        }
    }

    private static ApiToken token(ResultSet rs) throws SQLException {
        return new ApiToken(Rows.uuid(rs, "id"), rs.getString("name"), scopes(rs.getArray("scopes")),
                Rows.instant(rs, "expires_at"), Rows.instant(rs, "last_used_at"), Rows.instant(rs, "revoked_at"),
                Rows.instant(rs, "created_at"));
    }

    private static Set<Scope> scopes(Array array) throws SQLException {
        Set<Scope> out = EnumSet.noneOf(Scope.class);
        for (String s : (String[]) array.getArray()) {
            Scope.of(s).ifPresent(out::add);
        }
        return out;
    }
}
