package dev.vsa.processing.internal;

import dev.vsa.processing.Job;
import dev.vsa.processing.JobState;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.UUID;

/** Maps rows to records. */
public final class Rows {
    /** The columns {@link #job} reads, for SELECT and RETURNING lists. */
    public static final String JOB_COLUMNS = "id, scene_id, kind, payload::text AS payload, state, attempts, "
            + "max_attempts, progress, stage, last_error, cancel_requested, run_after, created_at, updated_at, "
            + "started_at, finished_at";

    private Rows() {
    }

    public static Instant instant(ResultSet rs, String col) throws SQLException {
        OffsetDateTime t = rs.getObject(col, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    /** A timestamp sent as whole microseconds since the epoch (PostgreSQL's own precision, so exact). */
    public static Instant instantOfMicros(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
    }

    public static UUID uuid(ResultSet rs, String col) throws SQLException {
        return rs.getObject(col, UUID.class);
    }

    public static Job job(ResultSet rs) throws SQLException {
        return new Job(uuid(rs, "id"), uuid(rs, "scene_id"), rs.getString("kind"), Json.parse(rs.getString("payload")),
                JobState.valueOf(rs.getString("state").toUpperCase(Locale.ROOT)), rs.getInt("attempts"),
                rs.getInt("max_attempts"), rs.getInt("progress"), rs.getString("stage"), rs.getString("last_error"),
                rs.getBoolean("cancel_requested"), instant(rs, "run_after"), instant(rs, "created_at"),
                instant(rs, "updated_at"), instant(rs, "started_at"), instant(rs, "finished_at"));
    }
}
