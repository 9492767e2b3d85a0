package dev.vsa.processing.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vsa.processing.Job;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The job table as a queue: enqueue in the caller's transaction (with NOTIFY), claim with
 * {@code FOR UPDATE SKIP LOCKED} and a lease, and every later write fenced by (id, lease owner, attempt) so a
 * worker that lost its lease (killed, partitioned, too slow) can no longer change the job.
 *
 * <p>Why not db-scheduler: it is a good kept library of the same family (SKIP LOCKED polling, heartbeats, dead
 * execution detection), but its table holds scheduled task instances keyed by task name, with no place for
 * per-job progress, stage, cancellation or an owner to query, and it wakes by polling only. vsa's API reads
 * and follows jobs (SSE progress, cancel), so the job row itself must be that record; the queue part is
 * ~200 lines of SQL we can see whole, and LISTEN/NOTIFY gives pick-up in milliseconds instead of a poll period.
 */
public final class JobQueue {
    private final Database db;

    public JobQueue(Database db) {
        this.db = db;
    }

    /** A claimed job and the fence that later writes must match. */
    public record Claim(Job job, String owner) {
        public UUID id() {
            return job.id();
        }

        public int attempt() {
            return job.attempts();
        }
    }

    /** What a heartbeat or progress write learned. */
    public record Beat(boolean leaseHeld, boolean cancelRequested) {
    }

    /** Payload key carrying the id of the request that queued the job, so the job's log lines name it too. */
    public static final String REQUEST_ID = dev.vsa.processing.RequestContext.KEY;

    /**
     * Inserts a queued job in the caller's transaction and notifies workers at its commit. The request id in the
     * {@link dev.vsa.processing.RequestContext}, if any, goes into the payload as {@link #REQUEST_ID}.
     */
    public static UUID enqueue(Connection c, String kind, UUID sceneId, JsonNode payload, int maxAttempts)
            throws SQLException {
        return enqueue(c, kind, sceneId, payload, maxAttempts, null);
    }

    /** As {@link #enqueue(Connection, String, UUID, JsonNode, int)}, not claimed before {@code runAfter} (null: now). */
    public static UUID enqueue(Connection c, String kind, UUID sceneId, JsonNode payload, int maxAttempts,
                               java.time.Instant runAfter) throws SQLException {
        UUID id = insert(c, kind, sceneId, payload, maxAttempts, runAfter);
        notifyJobs(c, id);
        return id;
    }

    /**
     * As {@link #enqueue(Connection, String, UUID, JsonNode, int)} without the notification: the caller
     * {@link #announce announces} the job once its transaction has committed. For the hot paths (every upload):
     * PostgreSQL serialises the commits of all notifying transactions under one lock held through the commit's
     * WAL flush, so a durable commit that also notifies makes every other notifying commit wait for its fsync.
     */
    public static UUID enqueueUnannounced(Connection c, String kind, UUID sceneId, JsonNode payload, int maxAttempts)
            throws SQLException {
        return insert(c, kind, sceneId, payload, maxAttempts, null);
    }

    /**
     * Notifies workers ({@code queued}) and followers of job {@code id} in a transaction of its own, committed
     * asynchronously: a notification is a hint (workers also poll; followers re-read), so losing one in a crash
     * costs a poll interval, while a synchronous commit would hold PostgreSQL's notification lock through a WAL
     * flush. Run on {@code c} in auto-commit mode, after the caller's own commit. Best effort: never throws.
     *
     * @return whether the notification was sent
     */
    public static boolean announce(Connection c, UUID id, boolean queued) {
        try {
            c.setAutoCommit(true);
            try (PreparedStatement ps = c.prepareStatement("SELECT " + ASYNC_COMMIT + ", pg_notify(?, ?)"
                    + (queued ? ", pg_notify(?, ?)" : ""))) {
                ps.setString(1, Notifier.EVENTS_CHANNEL);
                ps.setString(2, id.toString());
                if (queued) {
                    ps.setString(3, Notifier.JOBS_CHANNEL);
                    ps.setString(4, id.toString());
                }
                ps.execute();
            }
            return true;
        } catch (SQLException | RuntimeException e) {
            return false; // the data is committed; workers find the job at their next poll
        }
    }

    /**
     * Makes the current statement's transaction (auto-commit: the statement itself) commit asynchronously: for
     * writes that may be lost in an OS crash without harm (progress, notifications), never for data.
     */
    private static final String ASYNC_COMMIT = "set_config('synchronous_commit', 'off', true)";

    private static UUID insert(Connection c, String kind, UUID sceneId, JsonNode payload, int maxAttempts,
                               java.time.Instant runAfter) throws SQLException {
        UUID id = UUID.randomUUID();
        String requestId = dev.vsa.processing.RequestContext.get();
        if (requestId != null && (payload == null || payload.isObject())) {
            com.fasterxml.jackson.databind.node.ObjectNode p = payload == null ? Json.object()
                    : ((com.fasterxml.jackson.databind.node.ObjectNode) payload).deepCopy();
            p.put(REQUEST_ID, requestId);
            payload = p;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO jobs (id, scene_id, kind, payload, state, max_attempts, "
                + "run_after) VALUES (?, ?, ?, ?::jsonb, 'queued', ?, coalesce(?, now()))")) {
            ps.setObject(1, id);
            ps.setObject(2, sceneId);
            ps.setString(3, kind);
            ps.setString(4, payload == null ? "{}" : Json.write(payload));
            ps.setInt(5, maxAttempts);
            ps.setObject(6, runAfter == null ? null : java.time.OffsetDateTime.ofInstant(runAfter, java.time.ZoneOffset.UTC));
            ps.executeUpdate();
        }
        return id;
    }

    static void notifyJobs(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?), pg_notify(?, ?)")) {
            ps.setString(1, Notifier.JOBS_CHANNEL);
            ps.setString(2, id.toString());
            ps.setString(3, Notifier.EVENTS_CHANNEL);
            ps.setString(4, id.toString());
            ps.execute();
        }
    }

    static void notifyEvent(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            ps.setString(1, Notifier.EVENTS_CHANNEL);
            ps.setString(2, id.toString());
            ps.execute();
        }
    }

    /**
     * Claims the oldest due job of one of {@code kinds}, or none. Committed asynchronously, like a heartbeat: a
     * claim lost in a crash leaves the job queued with its attempts as they were, so the worker's later writes,
     * fenced on its owner and attempt ({@link #fence}), find no job of theirs and it is claimed again; a
     * synchronous commit made the worker (and its pooled connection) wait for a WAL flush, up to a second and a half
     * on a busy disk (bench/auth-load.sh).
     */
    public Optional<Claim> claim(String owner, Collection<String> kinds, Duration lease) throws SQLException {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("WITH a AS (SELECT " + ASYNC_COMMIT + " AS async_commit) "
                     + "UPDATE jobs SET state = 'running', lease_owner = ?, "
                     + "lease_until = now() + make_interval(secs => ?), attempts = attempts + 1, "
                     + "started_at = coalesce(started_at, now()), updated_at = clock_timestamp() "
                     + "FROM a WHERE id = (SELECT id FROM jobs WHERE state = 'queued' AND run_after <= now() AND kind = ANY (?) "
                     + "ORDER BY run_after, created_at FOR UPDATE SKIP LOCKED LIMIT 1) "
                     + "RETURNING " + Rows.JOB_COLUMNS)) {
            ps.setString(1, owner);
            ps.setDouble(2, lease.toMillis() / 1000.0);
            ps.setArray(3, c.createArrayOf("text", kinds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Claim claim = new Claim(Rows.job(rs), owner);
                return Optional.of(claim);
            }
        }
    }

    /**
     * Extends the lease; tells whether it is still held and whether cancellation was asked. Committed
     * asynchronously (as {@link #claim}): an extension lost in a crash only makes the lease end sooner, and a job
     * whose lease ended is claimed again under a new attempt, which fences this one out.
     */
    public Beat heartbeat(Claim claim, Duration lease) throws SQLException {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("WITH a AS (SELECT " + ASYNC_COMMIT + " AS async_commit) "
                     + "UPDATE jobs SET lease_until = now() + make_interval(secs => ?) FROM a "
                     + "WHERE id = ? AND lease_owner = ? AND attempts = ? AND state = 'running' RETURNING cancel_requested")) {
            ps.setDouble(1, lease.toMillis() / 1000.0);
            fence(ps, 2, claim);
            return beat(ps);
        }
    }

    /**
     * Stores progress (0..100) and stage, notifying followers; committed asynchronously (progress lost in an OS
     * crash is harmless, and a notifying synchronous commit holds PostgreSQL's notification lock through an fsync:
     * a few progress writes per job made every upload's commit queue behind them).
     */
    public Beat progress(Claim claim, int progress, String stage) throws SQLException {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("WITH a AS (SELECT " + ASYNC_COMMIT + "), "
                     + "u AS (UPDATE jobs SET progress = ?, stage = ?, "
                     + "updated_at = clock_timestamp() WHERE id = ? AND lease_owner = ? AND attempts = ? "
                     + "AND state = 'running' RETURNING id, cancel_requested) "
                     + "SELECT cancel_requested, pg_notify('" + Notifier.EVENTS_CHANNEL + "', id::text) FROM a, u")) {
            ps.setInt(1, Math.max(0, Math.min(100, progress)));
            ps.setString(2, stage);
            fence(ps, 3, claim);
            return beat(ps);
        }
    }

    private static Beat beat(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return new Beat(false, false);
            }
            return new Beat(true, rs.getBoolean(1));
        }
    }

    private static void fence(PreparedStatement ps, int at, Claim claim) throws SQLException {
        ps.setObject(at, claim.id());
        ps.setString(at + 1, claim.owner());
        ps.setInt(at + 2, claim.attempt());
    }

    /**
     * Marks the job succeeded in the caller's transaction; false if the lease was lost (roll back then). Not
     * notified: the caller {@link #announce announces} it after its commit (see {@link #enqueueUnannounced}).
     */
    public static boolean succeed(Connection tx, Claim claim) throws SQLException {
        return finish(tx, claim, "succeeded", null, false);
    }

    /** Marks the job failed for good in the caller's transaction; false if the lease was lost. */
    public static boolean fail(Connection tx, Claim claim, String reason) throws SQLException {
        return finish(tx, claim, "failed", reason, true);
    }

    /** Marks the job cancelled in the caller's transaction; false if the lease was lost. */
    public static boolean cancelled(Connection tx, Claim claim) throws SQLException {
        return finish(tx, claim, "cancelled", "cancelled on request", true);
    }

    private static boolean finish(Connection tx, Claim claim, String state, String reason, boolean notify)
            throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement("UPDATE jobs SET state = ?, last_error = ?, "
                + "progress = CASE WHEN ? = 'succeeded' THEN 100 ELSE progress END, "
                + "stage = CASE WHEN ? = 'succeeded' THEN 'done' ELSE stage END, "
                + "lease_owner = NULL, lease_until = NULL, finished_at = now(), updated_at = clock_timestamp() "
                + "WHERE id = ? AND lease_owner = ? AND attempts = ? AND state = 'running'")) {
            ps.setString(1, state);
            ps.setString(2, reason);
            ps.setString(3, state);
            ps.setString(4, state);
            fence(ps, 5, claim);
            if (ps.executeUpdate() != 1) {
                return false;
            }
        }
        if (notify) {
            notifyEvent(tx, claim.id());
        }
        return true;
    }

    /** Puts the job back in the queue to run after {@code delay}; false if the lease was lost. */
    public boolean retry(Claim claim, Duration delay, String reason) throws SQLException {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("UPDATE jobs SET state = 'queued', last_error = ?, "
                     + "run_after = now() + make_interval(secs => ?), lease_owner = NULL, lease_until = NULL, "
                     + "updated_at = clock_timestamp() WHERE id = ? AND lease_owner = ? AND attempts = ? AND state = 'running'")) {
            ps.setString(1, reason);
            ps.setDouble(2, delay.toMillis() / 1000.0);
            fence(ps, 3, claim);
            boolean ok = ps.executeUpdate() == 1;
            if (ok) {
                notifyJobs(c, claim.id());
            }
            return ok;
        }
    }

    /** Gives the job back untouched (shutdown): the attempt does not count. False if the lease was lost. */
    public boolean release(Claim claim) throws SQLException {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("UPDATE jobs SET state = 'queued', attempts = attempts - 1, "
                     + "run_after = now(), lease_owner = NULL, lease_until = NULL, updated_at = clock_timestamp() "
                     + "WHERE id = ? AND lease_owner = ? AND attempts = ? AND state = 'running'")) {
            fence(ps, 1, claim);
            boolean ok = ps.executeUpdate() == 1;
            if (ok) {
                notifyJobs(c, claim.id());
            }
            return ok;
        }
    }

    /** A job whose worker was lost, as {@link #reapExpired} left it. */
    public record Reaped(UUID id, UUID sceneId, String kind, String state) {
    }

    /**
     * Takes back jobs whose lease expired (their worker died or lost the database): queued again, or failed if
     * out of attempts, or cancelled if that was asked. Runs in the caller's transaction.
     */
    public static List<Reaped> reapExpired(Connection tx) throws SQLException {
        List<Reaped> out = new ArrayList<>();
        try (PreparedStatement ps = tx.prepareStatement("WITH x AS (SELECT id FROM jobs WHERE state = 'running' "
                + "AND lease_until < now() FOR UPDATE SKIP LOCKED) "
                + "UPDATE jobs j SET state = CASE WHEN j.cancel_requested THEN 'cancelled' "
                + "WHEN j.attempts >= j.max_attempts THEN 'failed' ELSE 'queued' END, "
                + "finished_at = CASE WHEN j.cancel_requested OR j.attempts >= j.max_attempts THEN now() END, "
                + "last_error = CASE WHEN j.cancel_requested THEN 'cancelled on request' "
                + "ELSE 'worker lost during attempt ' || j.attempts || ' (lease expired)' END, "
                + "lease_owner = NULL, lease_until = NULL, run_after = now(), updated_at = clock_timestamp() "
                + "FROM x WHERE j.id = x.id RETURNING j.id, j.scene_id, j.kind, j.state")) {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Reaped(Rows.uuid(rs, "id"), Rows.uuid(rs, "scene_id"), rs.getString("kind"),
                            rs.getString("state")));
                }
            }
        }
        for (Reaped r : out) {
            notifyJobs(tx, r.id());
        }
        return out;
    }
}
