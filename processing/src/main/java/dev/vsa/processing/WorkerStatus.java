package dev.vsa.processing;

import java.time.Instant;

/**
 * The workers of one process as an operator sees them ({@link Processing#workerStatus()}).
 *
 * @param workers           worker threads running in this process (0: an API-only process)
 * @param busy              jobs running now
 * @param claimFailures     failed attempts to claim a job since start
 * @param heartbeatFailures failed lease renewals since start
 * @param progressFailures  failed progress writes since start (best effort, but counted and logged)
 * @param problem           what fails right now (the last claim or lease renewal failed), or null
 * @param lastError         the latest failure of any kind, or null
 * @param lastErrorAt       when it happened, or null
 */
public record WorkerStatus(int workers, int busy, long claimFailures, long heartbeatFailures, long progressFailures,
                           String problem, String lastError, Instant lastErrorAt) {
    /** True when workers run and none reports a current problem. */
    public boolean healthy() {
        return problem == null;
    }
}
