package dev.vsa.processing;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Does the work of one job kind. {@code process} and {@code convert} are built in; tests and benchmarks add
 * their own with {@link Processing#registerHandler}.
 *
 * <p>A handler must be idempotent: a job may run again after a crash or a lost lease, and a re-run must
 * overwrite what an earlier run wrote (deterministic keys, upserts), never add to it. It ends by calling
 * {@link JobContext#complete}; throwing instead fails the attempt: {@link JobFailedException} with
 * {@code permanent} and {@link dev.vsa.core.error.MalformedInputException} fail the job at once, an
 * {@link java.io.IOException} or {@link java.sql.SQLException} is retried with backoff.
 */
public interface JobHandler {
    /** Runs the job. */
    void run(JobContext ctx) throws Exception;

    /**
     * Called in the transaction that ends the job without success (failed for good, or cancelled), to update
     * what the job was about (e.g. the scene's status). Default: nothing.
     *
     * @param reason    the readable reason stored on the job
     * @param cancelled true if cancelled on request
     */
    default void onGiveUp(Connection tx, Job job, String reason, boolean cancelled, Throwable cause) throws SQLException {
    }
}
