package dev.vsa.processing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vsa.processing.internal.Database;
import dev.vsa.processing.internal.JobQueue;
import dev.vsa.processing.internal.Notifier;
import dev.vsa.processing.internal.Rows;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Jobs as their owners see them: read, follow, cancel. A job belongs to the owner of its scene; another
 * owner's job is absent ({@code Optional.empty()}). Database failures throw {@link ProcessingException}.
 */
public final class JobService {
    private final Database db;
    private final Notifier notifier;
    private final ProcessingConfig config;
    private final Map<String, JobHandler> handlers;

    JobService(Database db, Notifier notifier, ProcessingConfig config, Map<String, JobHandler> handlers) {
        this.db = db;
        this.notifier = notifier;
        this.config = config;
        this.handlers = handlers;
    }

    /** The owner's job, or empty. */
    public Optional<Job> get(UUID ownerId, UUID jobId) {
        try (Connection c = db.connection()) {
            return load(c, ownerId, jobId);
        } catch (SQLException e) {
            throw ProcessingException.database(e);
        }
    }

    /** Any job by id, whoever owns it (operators, the CLI's worker view, tests). */
    public Optional<Job> get(UUID jobId) {
        try (Connection c = db.connection()) {
            return load(c, jobId);
        } catch (SQLException e) {
            throw ProcessingException.database(e);
        }
    }

    static Optional<Job> load(Connection c, UUID jobId) throws SQLException {
        return load(c, null, jobId);
    }

    private static Optional<Job> load(Connection c, UUID ownerId, UUID jobId) throws SQLException {
        String sql = ownerId == null ? "SELECT " + Rows.JOB_COLUMNS + " FROM jobs WHERE id = ?"
                : "SELECT " + prefixed() + " FROM jobs j JOIN scenes s ON s.id = j.scene_id WHERE j.id = ? AND s.owner_id = ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, jobId);
            if (ownerId != null) {
                ps.setObject(2, ownerId);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(Rows.job(rs)) : Optional.empty();
            }
        }
    }

    private static String prefixed() {
        return ("j." + Rows.JOB_COLUMNS.replace(", ", ", j.")).replace("j.payload::text", "j.payload::text");
    }

    /**
     * The owner's most recent scene jobs, newest first, across all scenes or of one.
     *
     * @param sceneId null for every scene
     * @param limit   1..200
     */
    public List<Job> listRecent(UUID ownerId, UUID sceneId, int limit) {
        if (limit < 1 || limit > 200) {
            throw new IllegalArgumentException("limit must be 1..200, was " + limit);
        }
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT " + prefixed() + " FROM jobs j JOIN scenes s ON s.id = j.scene_id "
                     + "WHERE s.owner_id = ? " + (sceneId == null ? "" : "AND j.scene_id = ? ")
                     + "ORDER BY j.created_at DESC, j.id DESC LIMIT ?")) {
            int i = 1;
            ps.setObject(i++, ownerId);
            if (sceneId != null) {
                ps.setObject(i++, sceneId);
            }
            ps.setInt(i, limit);
            List<Job> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(Rows.job(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw ProcessingException.database(e);
        }
    }

    /** The jobs of the owner's scene, newest first; empty if there is no such scene for this owner. */
    public List<Job> listForScene(UUID ownerId, UUID sceneId) {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT " + prefixed() + " FROM jobs j JOIN scenes s ON s.id = j.scene_id "
                     + "WHERE j.scene_id = ? AND s.owner_id = ? ORDER BY j.created_at DESC")) {
            ps.setObject(1, sceneId);
            ps.setObject(2, ownerId);
            List<Job> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(Rows.job(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw ProcessingException.database(e);
        }
    }

    /**
     * Cancels the owner's job: a queued one at once, a running one at its worker's next checkpoint (its state
     * turns {@code cancelled} then; follow it with {@link #awaitChange}). A finished job is left as it is.
     *
     * @return the job after the request, or empty if the owner has no such job
     */
    public Optional<Job> cancel(UUID ownerId, UUID jobId) {
        try {
            return db.inTransaction(c -> {
                Optional<Job> before = load(c, ownerId, jobId);
                if (before.isEmpty()) {
                    return before;
                }
                Job job = null;
                try (PreparedStatement ps = c.prepareStatement("UPDATE jobs SET cancel_requested = true, "
                        + "state = CASE WHEN state = 'queued' THEN 'cancelled' ELSE state END, "
                        + "finished_at = CASE WHEN state = 'queued' THEN now() ELSE finished_at END, "
                        + "last_error = CASE WHEN state = 'queued' THEN 'cancelled on request' ELSE last_error END, "
                        + "updated_at = clock_timestamp() WHERE id = ? AND state IN ('queued', 'running') "
                        + "RETURNING " + Rows.JOB_COLUMNS)) {
                    ps.setObject(1, jobId);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            job = Rows.job(rs);
                        }
                    }
                }
                if (job == null) {
                    return before;
                }
                if (job.state() == JobState.CANCELLED) {
                    JobHandler h = handlers.get(job.kind());
                    if (h != null) {
                        h.onGiveUp(c, job, "cancelled on request", true, null);
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
                    ps.setString(1, Notifier.EVENTS_CHANNEL);
                    ps.setString(2, jobId.toString());
                    ps.execute();
                }
                return Optional.of(job);
            });
        } catch (SQLException e) {
            throw ProcessingException.database(e);
        }
    }

    /**
     * Waits until the owner's job differs from {@code seen} (state, progress, stage, attempts or error), or
     * until {@code timeout}; for server-sent events: send the first {@link #get}, then loop on this until the
     * job is {@link JobState#terminal()}, sending each result that differs (and a keep-alive otherwise).
     *
     * <p>Woken by the database's notifications through the process's one LISTEN connection, which fans them out
     * to every follower; followers of one job share one read of it per change. A follower costs no database
     * work while its job does not change (except while the LISTEN connection is down: then each re-reads at
     * least every second, since notifications may be lost).
     *
     * @param seen the last state sent (as this method or {@link #get(UUID, UUID)} returned it for this owner),
     *             or null to get the current one at once
     * @return the job now (equal to {@code seen} if the timeout passed without change), or empty if the
     *         owner has no such job (any more)
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public Optional<Job> awaitChange(UUID ownerId, UUID jobId, Job seen, Duration timeout) throws InterruptedException {
        if (seen == null || !seen.id().equals(jobId)) {
            return get(ownerId, jobId);
        }
        // seen came from a read scoped to ownerId, and a job never changes owner: later reads need not join scenes.
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Notifier.Watch w = notifier.watch(jobId)) {
            while (true) {
                long version = w.version();
                Optional<Job> now = w.read(this::read);
                if (now.isEmpty() || changed(seen, now.get())) {
                    return now;
                }
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return now;
                }
                w.await(version, left);
            }
        } catch (SQLException e) {
            throw ProcessingException.database(e);
        }
    }

    private Optional<Job> read(UUID jobId) throws SQLException {
        try (Connection c = db.connection()) {
            return load(c, jobId);
        }
    }

    private static boolean changed(Job a, Job b) {
        return a.state() != b.state() || a.progress() != b.progress() || !Objects.equals(a.stage(), b.stage())
                || a.attempts() != b.attempts() || !Objects.equals(a.lastError(), b.lastError())
                || a.cancelRequested() != b.cancelRequested();
    }

    /**
     * Queues a job of any registered kind (for custom handlers: tests, benchmarks, maintenance).
     *
     * @param sceneId the scene it concerns, or null
     * @return the job id
     */
    public UUID enqueue(String kind, UUID sceneId, JsonNode payload) {
        try (Connection c = db.connection()) {
            return JobQueue.enqueue(c, kind, sceneId, payload, config.maxAttempts());
        } catch (SQLException e) {
            throw ProcessingException.database(e);
        }
    }
}
