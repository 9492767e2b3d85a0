package dev.vsa.processing;

import dev.vsa.processing.internal.Database;
import dev.vsa.processing.internal.Rows;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Share links: a 256-bit random token (base64url; only its SHA-256 is stored) that opens one scene read-only
 * until it expires or its owner revokes it. Database failures throw {@link ProcessingException}.
 */
public final class ShareService {
    /** Longest a link may live. */
    public static final Duration MAX_TTL = Duration.ofDays(365);
    /** Links one scene may have (expired and revoked ones included). */
    public static final int MAX_PER_SCENE = 20;

    private final Database db;

    ShareService(Database db) {
        this.db = db;
    }

    /**
     * Makes a link to the owner's scene.
     *
     * @return empty if the owner has no such scene
     * @throws InvalidRequestException (field {@code expires_in_hours}) for a lifetime outside 1 hour..{@link #MAX_TTL},
     *                                 or when the scene has {@link #MAX_PER_SCENE} links already
     */
    public Optional<ShareLinkSecret> create(UUID ownerId, UUID sceneId, Duration ttl) {
        if (ttl.compareTo(Duration.ofHours(1)) < 0 || ttl.compareTo(MAX_TTL) > 0) {
            throw new InvalidRequestException("expires_in_hours", "a link lives 1 hour to " + MAX_TTL.toDays() + " days");
        }
        String token = Secrets.random256();
        UUID id = UUID.randomUUID();
        try {
            boolean found = db.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT (SELECT count(*) FROM share_links l WHERE l.scene_id = s.id) "
                        + "FROM scenes s WHERE s.id = ? AND s.owner_id = ? FOR UPDATE")) {
                    ps.setObject(1, sceneId);
                    ps.setObject(2, ownerId);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            return false;
                        }
                        if (rs.getInt(1) >= MAX_PER_SCENE) {
                            throw new InvalidRequestException("expires_in_hours", "the scene has " + MAX_PER_SCENE
                                    + " links already, the most allowed");
                        }
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO share_links (id, scene_id, token_hash, expires_at) "
                        + "VALUES (?, ?, ?, clock_timestamp() + make_interval(secs => ?))")) {
                    ps.setObject(1, id);
                    ps.setObject(2, sceneId);
                    ps.setString(3, Secrets.sha256Hex(token));
                    ps.setLong(4, ttl.toSeconds());
                    ps.executeUpdate();
                }
                return true;
            });
            if (!found) {
                return Optional.empty();
            }
        } catch (SQLException e) {
            throw ProcessingException.database(e);
        }
        ShareLink link = list(ownerId, sceneId).orElseThrow().stream().filter(l -> l.id().equals(id)).findFirst().orElseThrow();
        return Optional.of(new ShareLinkSecret(link, token));
    }

    /** The scene's links, oldest first; empty if the owner has no such scene. */
    public Optional<List<ShareLink>> list(UUID ownerId, UUID sceneId) {
        try (Connection c = db.connection()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM scenes WHERE id = ? AND owner_id = ?")) {
                ps.setObject(1, sceneId);
                ps.setObject(2, ownerId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                }
            }
            List<ShareLink> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM share_links WHERE scene_id = ? ORDER BY created_at, id")) {
                ps.setObject(1, sceneId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new ShareLink(Rows.uuid(rs, "id"), sceneId, Rows.instant(rs, "expires_at"),
                                Rows.instant(rs, "revoked_at"), Rows.instant(rs, "created_at")));
                    }
                }
            }
            return Optional.of(out);
        } catch (SQLException e) {
            throw ProcessingException.database(e);
        }
    }

    /** Revokes a link of the owner's scene at once; false if there is no such (unrevoked) link. */
    public boolean revoke(UUID ownerId, UUID sceneId, UUID linkId) {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("UPDATE share_links l SET revoked_at = clock_timestamp() "
                     + "FROM scenes s WHERE l.id = ? AND l.scene_id = ? AND s.id = l.scene_id AND s.owner_id = ? "
                     + "AND l.revoked_at IS NULL")) {
            ps.setObject(1, linkId);
            ps.setObject(2, sceneId);
            ps.setObject(3, ownerId);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw ProcessingException.database(e);
        }
    }

    /** Whose scene an active link opens; empty for an unknown, expired or revoked token (one answer for all). */
    public Optional<SharedScene> resolve(String token) {
        if (token == null || token.length() < 20 || token.length() > 100) {
            return Optional.empty();
        }
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT s.owner_id, s.id, l.expires_at FROM share_links l "
                     + "JOIN scenes s ON s.id = l.scene_id WHERE l.token_hash = ? AND l.revoked_at IS NULL "
                     + "AND l.expires_at > clock_timestamp()")) {
            ps.setString(1, Secrets.sha256Hex(token));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next()
                        ? Optional.of(new SharedScene(Rows.uuid(rs, "owner_id"), Rows.uuid(rs, "id"), Rows.instant(rs, "expires_at")))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw ProcessingException.database(e);
        }
    }

    /** The scene an active link opens, and until when. */
    public record SharedScene(UUID ownerId, UUID sceneId, Instant expiresAt) {
    }
}
