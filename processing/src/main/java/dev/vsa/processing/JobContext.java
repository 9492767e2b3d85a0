package dev.vsa.processing;

import dev.vsa.core.progress.ProgressListener;
import dev.vsa.processing.storage.ObjectStore;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

/** What a {@link JobHandler} gets: its job, the store, a scratch directory, progress and completion. */
public interface JobContext {
    /** Work that runs inside the job's final transaction. */
    @FunctionalInterface
    interface TxWork {
        void run(Connection tx) throws SQLException;
    }

    /** The job as claimed (attempts already counts this run). */
    Job job();

    ObjectStore store();

    /** The configuration in force. */
    ProcessingConfig config();

    /** A directory of this run only, deleted when the run ends. */
    Path workDir();

    /**
     * Records progress (0..100) and stage, throttled; and stops the job here if it was cancelled, its lease
     * was lost or the worker is shutting down.
     *
     * @throws JobStoppedException to unwind the handler; do not catch it
     */
    void progress(int percent, String stage);

    /**
     * A core progress listener mapping {@code done/total} onto {@code from..to} percent under {@code stage}.
     */
    ProgressListener progress(int from, int to, String stage);

    /**
     * Stops the job here if it was cancelled, its lease was lost or the worker is shutting down.
     *
     * @throws JobStoppedException to unwind the handler
     */
    void checkpoint();

    /**
     * Runs {@code work} and marks the job succeeded in one transaction. If the lease was lost meanwhile
     * (another worker took the job) everything is rolled back and {@link JobStoppedException} is thrown.
     */
    void complete(TxWork work) throws SQLException;

    /** Runs {@code work} in its own transaction now (e.g. to mark the scene as processing). */
    void inTransaction(TxWork work) throws SQLException;
}
