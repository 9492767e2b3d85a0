package dev.vsa.processing;

import java.sql.PreparedStatement;
import java.util.concurrent.CountDownLatch;

/**
 * A trivial job for queue tests: records each start in {@code runs} (own transaction, so a start is counted
 * even if the run never completes) and each completion in {@code done} (in the completing transaction).
 * Optionally waits for {@code gate} first (to hold a job mid-run), checking for cancellation meanwhile.
 */
final class CountingHandler implements JobHandler {
    static final String KIND = "count";
    static final String DDL = "CREATE SCHEMA IF NOT EXISTS t; CREATE TABLE IF NOT EXISTS t.runs (job_id uuid NOT NULL, attempt int NOT NULL, "
            + "worker text NOT NULL); CREATE TABLE IF NOT EXISTS t.done (job_id uuid NOT NULL)";

    private final String worker;
    volatile CountDownLatch gate;

    CountingHandler(String worker) {
        this.worker = worker;
    }

    @Override
    public void run(JobContext ctx) throws Exception {
        ctx.inTransaction(tx -> {
            try (PreparedStatement ps = tx.prepareStatement("INSERT INTO t.runs VALUES (?, ?, ?)")) {
                ps.setObject(1, ctx.job().id());
                ps.setInt(2, ctx.job().attempts());
                ps.setString(3, worker);
                ps.executeUpdate();
            }
        });
        CountDownLatch g = gate;
        if (g != null) {
            while (!g.await(20, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                ctx.progress(50, "waiting"); // a checkpoint: stops here when cancelled or shut down
            }
        }
        ctx.complete(tx -> {
            try (PreparedStatement ps = tx.prepareStatement("INSERT INTO t.done VALUES (?)")) {
                ps.setObject(1, ctx.job().id());
                ps.executeUpdate();
            }
        });
    }
}
