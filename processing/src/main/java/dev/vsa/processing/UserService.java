package dev.vsa.processing;

import dev.vsa.processing.internal.Database;
import dev.vsa.processing.internal.Rows;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;

/**
 * Accounts and refresh tokens. Stores only what the server hands over: password hashes and token hashes,
 * never the secrets themselves. Usernames are unique by {@link Usernames#key} (stored in {@code username_key}),
 * emails without regard to case.
 * Database failures throw {@link ProcessingException}.
 */
public final class UserService {
    /** The shortest password accepted at signup, in Unicode code points (the server and the CLI's prompt check it). */
    public static final int MIN_PASSWORD_LENGTH = 8;

    private final Database db;
    private final PrincipalCache principals;
    private final OwnerTurns ownerTurns;

    UserService(Database db, PrincipalCache principals, OwnerTurns ownerTurns) {
        this.db = db;
        this.principals = principals;
        this.ownerTurns = ownerTurns;
    }

    /**
     * Creates an account.
     *
     * @throws DuplicateException with field {@code username} or {@code email} if taken
     * @throws IllegalArgumentException if a value is blank or longer than 320 characters
     */
    public User create(String username, String email, String passwordHash) {
        check("username", username);
        check("email", email);
        check("passwordHash", passwordHash);
        User u = new User(UUID.randomUUID(), username, email, passwordHash, Instant.now());
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO users (id, username, username_key, email, "
                     + "password_hash) VALUES (?, ?, ?, ?, ?) RETURNING created_at")) {
            ps.setObject(1, u.id());
            ps.setString(2, username);
            ps.setString(3, Usernames.key(username));
            ps.setString(4, email);
            ps.setString(5, passwordHash);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new User(u.id(), username, email, passwordHash, Rows.instant(rs, "created_at"));
            }
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) {
                String m = String.valueOf(e.getMessage());
                throw new DuplicateException(m.contains("users_email_key") ? "email" : "username");
            }
            throw ProcessingException.database(e);
        }
    }

    private static void check(String field, String value) {
        if (value == null || value.isBlank() || value.length() > 320) {
            throw new IllegalArgumentException(field + " must be 1..320 characters");
        }
    }

    /** The account whose username has the same {@link Usernames#key} as {@code username}, if any. */
    public Optional<User> findByUsername(String username) {
        return find("username_key = ?", Usernames.key(username));
    }

    /** The account with this email (any case), if any. */
    public Optional<User> findByEmail(String email) {
        return find("lower(email) = lower(?)", email);
    }

    /** The account with this id, if any. */
    public Optional<User> findById(UUID id) {
        return find("id = ?", id);
    }

    /**
     * The account a verified access token names, as {@link #findById}, but answered for a few seconds from memory
     * (each authenticated request asks): every API process forgets it at once when the account is deleted
     * ({@link PrincipalCache}).
     */
    public Optional<User> findSignedIn(UUID id) {
        Optional<User> hit = principals.get(id, User.class);
        if (hit.isPresent()) {
            return hit;
        }
        long seen = principals.generation();
        Optional<User> found = findById(id);
        found.ifPresent(u -> principals.put(id, u, id, null, null, seen));
        return found;
    }

    private Optional<User> find(String where, Object value) {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT id, username, email, password_hash, created_at FROM users WHERE " + where)) {
            ps.setObject(1, value);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new User(Rows.uuid(rs, "id"), rs.getString("username"), rs.getString("email"),
                        rs.getString("password_hash"), Rows.instant(rs, "created_at")));
            }
        } catch (SQLException e) {
            throw ProcessingException.database(e);
        }
    }

    /**
     * Deletes an account with its tokens, all its scenes and its unfinished uploads, objects included. The objects go
     * through the queue, committed with the rows' deletion and retried until the store answers (as a scene's
     * deletion does), so a store that is down now cannot leave them orphaned: a purge job per scene and per
     * unfinished resumable upload's pieces, and each open direct upload's expiry job made due now (it aborts the
     * multipart upload and its parts).
     *
     * @return false if there was no such account
     */
    public boolean delete(UUID id) {
        try {
            // In the owner's transaction: an upload of this owner opening now (it takes the same turn and row
            // lock) is either committed before, and found below, or refused after.
            ownerTurns.inTransaction(id, c -> {
                SceneService.deleteAllOf(c, id);
                for (String prefix : dev.vsa.processing.resumable.ResumableUploads.deleteAllOf(c, id)) {
                    SceneService.enqueuePurge(c, prefix);
                }
                DirectUploads.expireAllOf(c, id);
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM users WHERE id = ?")) {
                    ps.setObject(1, id);
                    ps.executeUpdate();
                }
                PrincipalCache.announceUser(c, id); // the other API processes forget it as this commits
                return null;
            }, null);
            principals.forgetUser(id); // after the commit: a lookup from now on finds no row
            return true;
        } catch (OwnerTurns.NoSuchOwner e) {
            return false;
        } catch (SQLException e) {
            throw ProcessingException.database(e);
        }
    }

    /**
     * Stores a refresh token's hash.
     *
     * @throws IllegalArgumentException if the hash is blank
     */
    public void storeRefreshToken(UUID userId, String tokenHash, Instant expiresAt) {
        check("tokenHash", tokenHash);
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO refresh_tokens (token_hash, user_id, expires_at) VALUES (?, ?, ?)")) {
            ps.setString(1, tokenHash);
            ps.setObject(2, userId);
            ps.setObject(3, OffsetDateTime.ofInstant(expiresAt, ZoneOffset.UTC));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw ProcessingException.database(e);
        }
    }

    /**
     * Uses up a refresh token (rotation: each token works once; the caller then stores the next one).
     * Presenting a token that was already used or revoked is taken as theft: every token of that user is
     * revoked.
     *
     * @return the user the token belongs to, or empty if it is unknown, expired, used or revoked
     */
    public Optional<UUID> consumeRefreshToken(String tokenHash) {
        try (Connection c = db.connection()) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE refresh_tokens SET revoked_at = now() "
                    + "WHERE token_hash = ? AND revoked_at IS NULL AND expires_at > now() RETURNING user_id")) {
                ps.setString(1, tokenHash);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return Optional.of(Rows.uuid(rs, "user_id"));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE refresh_tokens SET revoked_at = now() "
                    + "WHERE revoked_at IS NULL AND user_id = (SELECT user_id FROM refresh_tokens "
                    + "WHERE token_hash = ? AND revoked_at IS NOT NULL)")) {
                ps.setString(1, tokenHash);
                ps.executeUpdate();
            }
            return Optional.empty();
        } catch (SQLException e) {
            throw ProcessingException.database(e);
        }
    }

    /** Revokes one token (logout); false if it was unknown or already revoked. */
    public boolean revokeRefreshToken(String tokenHash) {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("UPDATE refresh_tokens SET revoked_at = now() WHERE token_hash = ? AND revoked_at IS NULL")) {
            ps.setString(1, tokenHash);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw ProcessingException.database(e);
        }
    }

    /** Revokes every token of a user (logout everywhere); returns how many were live. */
    public int revokeAllRefreshTokens(UUID userId) {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = ? AND revoked_at IS NULL")) {
            ps.setObject(1, userId);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw ProcessingException.database(e);
        }
    }
}
