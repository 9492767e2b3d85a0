package dev.vsa.processing;

/** Test-only ways in: re-queue a scene's process job as a crash-restart would. */
final class UUIDs {
    private UUIDs() {
    }

    /** Puts the scene's latest job back in the queue as if its first run had been lost after finishing. */
    static void requeue(Processing p, Scene s) {
        Sql.exec(p.databaseUrl(), "UPDATE jobs SET state = 'queued', finished_at = NULL, progress = 0 WHERE id = ?", s.latestJobId());
        Sql.exec(p.databaseUrl(), "SELECT pg_notify('vsa_jobs', 'x')");
    }
}
