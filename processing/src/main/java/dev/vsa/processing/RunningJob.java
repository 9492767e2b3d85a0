package dev.vsa.processing;

import dev.vsa.core.progress.ProgressListener;
import dev.vsa.processing.internal.Database;
import dev.vsa.processing.internal.JobQueue;
import dev.vsa.processing.storage.ObjectStore;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.function.BiConsumer;

/** The context of one claimed job on one worker. */
final class RunningJob implements JobContext {
    private static final long PROGRESS_INTERVAL_NANOS = 250_000_000L;

    final JobQueue.Claim claim;
    private final Database db;
    private final JobQueue queue;
    private final ObjectStore store;
    private final ProcessingConfig config;
    private final Path workDir;
    private final BiConsumer<RunningJob, SQLException> progressFailed;
    volatile boolean cancelRequested;
    volatile boolean leaseLost;
    volatile boolean shutdownRequested;
    private volatile boolean completed;
    private int lastProgress = -1;
    private String lastStage;
    private long lastWrite;

    /**
     * @param progressFailed told of a progress write that failed (the job goes on: the final write decides; the
     *                       pool counts and logs it)
     */
    RunningJob(JobQueue.Claim claim, Database db, JobQueue queue, ObjectStore store, ProcessingConfig config, Path workDir,
               BiConsumer<RunningJob, SQLException> progressFailed) {
        this.progressFailed = progressFailed;
        this.claim = claim;
        this.db = db;
        this.queue = queue;
        this.store = store;
        this.config = config;
        this.workDir = workDir;
    }

    @Override
    public Job job() {
        return claim.job();
    }

    @Override
    public ObjectStore store() {
        return store;
    }

    @Override
    public ProcessingConfig config() {
        return config;
    }

    @Override
    public Path workDir() {
        return workDir;
    }

    @Override
    public void progress(int percent, String stage) {
        checkpoint();
        long now = System.nanoTime();
        boolean stageChanged = stage != null && !stage.equals(lastStage);
        if (!stageChanged && (percent == lastProgress || now - lastWrite < PROGRESS_INTERVAL_NANOS)) {
            return;
        }
        try {
            JobQueue.Beat b = queue.progress(claim, percent, stage);
            lastProgress = percent;
            lastStage = stage;
            lastWrite = now;
            if (!b.leaseHeld()) {
                leaseLost = true;
            }
            if (b.cancelRequested()) {
                cancelRequested = true;
            }
        } catch (SQLException e) {
            // Progress is best effort: the database may be briefly away and the final write decides; but an
            // operator must see it (counted and logged by the pool, shown in /readyz).
            progressFailed.accept(this, e);
        }
        checkpoint();
    }

    @Override
    public ProgressListener progress(int from, int to, String stage) {
        return (done, total) -> {
            int p = total > 0 ? from + (int) ((to - from) * Math.min(1.0, (double) done / total)) : from;
            progress(p, stage);
        };
    }

    @Override
    public void checkpoint() {
        if (leaseLost) {
            throw new JobStoppedException(JobStoppedException.Why.LEASE_LOST);
        }
        if (cancelRequested) {
            throw new JobStoppedException(JobStoppedException.Why.CANCELLED);
        }
        if (shutdownRequested) {
            throw new JobStoppedException(JobStoppedException.Why.SHUTDOWN);
        }
    }

    @Override
    public void complete(TxWork work) throws SQLException {
        checkpoint();
        db.inTransaction(c -> {
            work.run(c);
            if (!JobQueue.succeed(c, claim)) { // fenced: another worker holds the job now
                leaseLost = true;
                throw new JobStoppedException(JobStoppedException.Why.LEASE_LOST);
            }
            return null;
        }, (c, none) -> JobQueue.announce(c, claim.id(), false));
        completed = true;
    }

    boolean completed() {
        return completed;
    }

    @Override
    public void inTransaction(TxWork work) throws SQLException {
        db.inTransaction(c -> {
            work.run(c);
            return null;
        });
    }
}
