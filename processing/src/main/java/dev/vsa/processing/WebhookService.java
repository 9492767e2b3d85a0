package dev.vsa.processing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vsa.processing.internal.Database;
import dev.vsa.processing.internal.JobQueue;
import dev.vsa.processing.internal.Json;
import dev.vsa.processing.internal.Rows;
import dev.vsa.processing.internal.WebhookSigner;
import dev.vsa.processing.internal.WebhookTargets;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Users' webhook endpoints and their delivery log. Scene events are queued in the same transaction as the
 * change they report ({@link #emit}); the job queue delivers them ({@code webhook} jobs: signed as the
 * Standard Webhooks specification describes, retried with backoff, refused for private targets unless allowed).
 * Database failures throw {@link ProcessingException}.
 */
public final class WebhookService {
    public static final String SCENE_READY = "scene.ready";
    public static final String SCENE_INVALID = "scene.invalid";
    public static final String SCENE_FAILED = "scene.failed";
    public static final String SCENE_DELETED = "scene.deleted";
    /** The event a test ping sends (always, whatever the endpoint subscribed to). */
    public static final String TEST = "webhook.test";
    /** The event types an endpoint can subscribe to. */
    public static final List<String> EVENTS = List.of(SCENE_READY, SCENE_INVALID, SCENE_FAILED, SCENE_DELETED);
    /** Endpoints one user may have: each event costs one delivery job per endpoint. */
    public static final int MAX_PER_USER = 20;
    /** How long a rotated-out secret keeps signing beside the new one. */
    public static final Duration ROTATION_OVERLAP = Duration.ofHours(24);
    private static final int MAX_DESCRIPTION = 500;

    private final Database db;
    private final ProcessingConfig config;
    private final WebhookTargets targets;
    private final OwnerTurns ownerTurns;

    WebhookService(Database db, ProcessingConfig config, OwnerTurns ownerTurns) {
        this.db = db;
        this.ownerTurns = ownerTurns;
        this.config = config;
        this.targets = new WebhookTargets(config.webhooksAllowPrivate());
    }

    /**
     * Adds an endpoint.
     *
     * @param events the event types wanted; empty for all
     * @throws InvalidRequestException (field {@code url}, {@code events}, {@code description}) for a bad or refused
     *                                 URL, an unknown event type, a long description, or too many endpoints
     */
    public WebhookSecret create(UUID ownerId, String url, String description, List<String> events) {
        java.net.URI parsed = urlCheck(() -> WebhookTargets.parse(url));
        List<String> types = checkEvents(events);
        String desc = description == null ? "" : description.strip();
        if (desc.length() > MAX_DESCRIPTION) {
            throw new InvalidRequestException("description", "the description is longer than " + MAX_DESCRIPTION + " characters");
        }
        // Resolving the host is last: a mistyped argument is answered as such, not as a DNS failure, and costs no lookup.
        String checked = urlCheck(() -> targets.check(parsed)).toString();
        UUID id = UUID.randomUUID();
        String secret = WebhookSigner.newSecret();
        try {
            ownerTurns.inTransaction(ownerId, c -> {
                ownerTurns.requireBelow(c, ownerId, "webhooks", MAX_PER_USER, "url", "webhooks");
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO webhooks (id, owner_id, url, description, "
                        + "events, secret) VALUES (?, ?, ?, ?, ?, ?)")) {
                    ps.setObject(1, id);
                    ps.setObject(2, ownerId);
                    ps.setString(3, checked);
                    ps.setString(4, desc);
                    ps.setArray(5, c.createArrayOf("text", types.toArray()));
                    ps.setString(6, secret);
                    ps.executeUpdate();
                }
                return null;
            }, null);
        } catch (SQLException e) {
            throw ProcessingException.database(e);
        }
        return new WebhookSecret(get(ownerId, id).orElseThrow(), secret);
    }

    /** The owner's endpoints, oldest first. */
    public List<Webhook> list(UUID ownerId) {
        return query("SELECT * FROM webhooks WHERE owner_id = ? ORDER BY created_at, id", ownerId, null);
    }

    /** One of the owner's endpoints; empty if the owner has no such endpoint. */
    public Optional<Webhook> get(UUID ownerId, UUID id) {
        return query("SELECT * FROM webhooks WHERE owner_id = ? AND id = ?", ownerId, id).stream().findFirst();
    }

    /** Deletes the endpoint with its delivery log (queued deliveries are dropped); false if there is none. */
    public boolean delete(UUID ownerId, UUID id) {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM webhooks WHERE owner_id = ? AND id = ?")) {
            ps.setObject(1, ownerId);
            ps.setObject(2, id);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw ProcessingException.database(e);
        }
    }

    /**
     * Gives the endpoint a new secret. The old one keeps signing beside it for {@link #ROTATION_OVERLAP}, so
     * the receiver can switch without rejecting deliveries.
     *
     * @return empty if the owner has no such endpoint
     */
    public Optional<WebhookSecret> rotateSecret(UUID ownerId, UUID id) {
        String secret = WebhookSigner.newSecret();
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("UPDATE webhooks SET previous_secret = secret, "
                     + "previous_until = clock_timestamp() + make_interval(secs => ?), secret = ? "
                     + "WHERE owner_id = ? AND id = ?")) {
            ps.setLong(1, ROTATION_OVERLAP.toSeconds());
            ps.setString(2, secret);
            ps.setObject(3, ownerId);
            ps.setObject(4, id);
            if (ps.executeUpdate() != 1) {
                return Optional.empty();
            }
        } catch (SQLException e) {
            throw ProcessingException.database(e);
        }
        return get(ownerId, id).map(w -> new WebhookSecret(w, secret));
    }

    /**
     * Queues a {@link #TEST} event to the endpoint.
     *
     * @return the delivery's id (see {@link #deliveries}); empty if the owner has no such endpoint
     */
    public Optional<UUID> test(UUID ownerId, UUID id) {
        try {
            return db.inTransaction(c -> {
                if (get(ownerId, id).isEmpty()) {
                    return Optional.empty();
                }
                ObjectNode data = Json.object().put("webhook_id", id.toString());
                return Optional.of(insertDelivery(c, id, TEST, data, config.webhooksMaxAttempts()));
            });
        } catch (SQLException e) {
            throw ProcessingException.database(e);
        }
    }

    /**
     * The endpoint's latest deliveries, newest first.
     *
     * @param limit 1..200
     * @return empty if the owner has no such endpoint
     */
    public Optional<List<WebhookDelivery>> deliveries(UUID ownerId, UUID id, int limit) {
        if (limit < 1 || limit > 200) {
            throw new IllegalArgumentException("limit must be 1..200, was " + limit);
        }
        if (get(ownerId, id).isEmpty()) {
            return Optional.empty();
        }
        List<WebhookDelivery> out = new ArrayList<>();
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT * FROM webhook_deliveries WHERE webhook_id = ? "
                     + "ORDER BY created_at DESC, id DESC LIMIT ?")) {
            ps.setObject(1, id);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int status = rs.getInt("last_status");
                    out.add(new WebhookDelivery(Rows.uuid(rs, "id"), rs.getString("event_type"), rs.getString("state"),
                            rs.getInt("attempts"), rs.wasNull() ? null : status, rs.getString("last_error"),
                            Rows.instant(rs, "created_at"), Rows.instant(rs, "last_attempt_at"),
                            Rows.instant(rs, "delivered_at")));
                }
            }
        } catch (SQLException e) {
            throw ProcessingException.database(e);
        }
        return Optional.of(out);
    }

    /**
     * Queues {@code type} with {@code data} for every endpoint of the owner that wants it, in the caller's
     * transaction (so an event is sent if and only if the change it reports commits).
     */
    static void emit(Connection tx, UUID ownerId, String type, ObjectNode data, int maxAttempts) throws SQLException {
        List<UUID> hooks = new ArrayList<>();
        try (PreparedStatement ps = tx.prepareStatement("SELECT id FROM webhooks WHERE owner_id = ? "
                + "AND (cardinality(events) = 0 OR ? = ANY (events))")) {
            ps.setObject(1, ownerId);
            ps.setString(2, type);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    hooks.add(Rows.uuid(rs, "id"));
                }
            }
        }
        for (UUID hook : hooks) {
            insertDelivery(tx, hook, type, data, maxAttempts);
        }
    }

    private static UUID insertDelivery(Connection tx, UUID webhookId, String type, ObjectNode data, int maxAttempts)
            throws SQLException {
        UUID id = UUID.randomUUID();
        ObjectNode payload = Json.object()
                .put("type", type)
                .put("timestamp", DateTimeFormatter.ISO_INSTANT.format(Instant.now()));
        payload.set("data", data);
        try (PreparedStatement ps = tx.prepareStatement("INSERT INTO webhook_deliveries (id, webhook_id, event_type, "
                + "payload, state) VALUES (?, ?, ?, ?::jsonb, 'pending')")) {
            ps.setObject(1, id);
            ps.setObject(2, webhookId);
            ps.setString(3, type);
            ps.setString(4, Json.write(payload));
            ps.executeUpdate();
        }
        JobQueue.enqueue(tx, Processing.WEBHOOK, null, Json.object().put("delivery_id", id.toString()), maxAttempts);
        return id;
    }

    private interface UrlCheck {
        java.net.URI run() throws WebhookTargets.RefusedTarget;
    }

    /** {@code check}'s URL, or its refusal as an invalid {@code url}. */
    private static java.net.URI urlCheck(UrlCheck check) {
        try {
            return check.run();
        } catch (WebhookTargets.RefusedTarget e) {
            throw new InvalidRequestException("url", e.getMessage());
        }
    }

    private static List<String> checkEvents(List<String> events) {
        if (events == null) {
            return List.of();
        }
        for (String e : events) {
            if (!EVENTS.contains(e)) {
                throw new InvalidRequestException("events", "unknown event type '" + e + "' (known: " + EVENTS + ")");
            }
        }
        return events.stream().distinct().toList();
    }

    private List<Webhook> query(String sql, UUID ownerId, UUID id) {
        List<Webhook> out = new ArrayList<>();
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, ownerId);
            if (id != null) {
                ps.setObject(2, id);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Array events = rs.getArray("events");
                    Instant until = Rows.instant(rs, "previous_until");
                    out.add(new Webhook(Rows.uuid(rs, "id"), rs.getString("url"), rs.getString("description"),
                            Arrays.asList((String[]) events.getArray()), Rows.instant(rs, "created_at"),
                            until != null && until.isAfter(Instant.now()) ? until : null));
                }
            }
        } catch (SQLException e) {
            throw ProcessingException.database(e);
        }
        return out;
    }
}
