package dev.vsa.processing;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a worker pool's failures look like to an operator: counts of failed claims, heartbeats and progress
 * writes, and the current problem (the last claim or heartbeat failed and none has succeeded since), for
 * {@code /readyz} and the log. Thread-safe.
 */
final class WorkerHealth {
    final AtomicLong claimFailures = new AtomicLong();
    final AtomicLong heartbeatFailures = new AtomicLong();
    final AtomicLong progressFailures = new AtomicLong();
    private volatile String claimProblem;
    private volatile String heartbeatProblem;
    private volatile String lastError;
    private volatile Instant lastErrorAt;

    void claimFailed(Throwable e) {
        claimFailures.incrementAndGet();
        claimProblem = "claiming jobs fails: " + message(e);
        noted(claimProblem);
    }

    void claimSucceeded() {
        claimProblem = null;
    }

    void heartbeatFailed(Throwable e) {
        heartbeatFailures.incrementAndGet();
        heartbeatProblem = "renewing job leases fails: " + message(e);
        noted(heartbeatProblem);
    }

    void heartbeatSucceeded() {
        heartbeatProblem = null;
    }

    void progressFailed(Throwable e) {
        progressFailures.incrementAndGet();
        noted("recording job progress fails: " + message(e));
    }

    private void noted(String what) {
        lastError = what;
        lastErrorAt = Instant.now();
    }

    /** The current problem, or null when the last claim and heartbeat succeeded. */
    String problem() {
        String c = claimProblem;
        return c != null ? c : heartbeatProblem;
    }

    String lastError() {
        return lastError;
    }

    Instant lastErrorAt() {
        return lastErrorAt;
    }

    static String message(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m.lines().findFirst().orElse(""));
    }
}
