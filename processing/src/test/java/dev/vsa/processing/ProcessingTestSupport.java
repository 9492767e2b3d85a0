package dev.vsa.processing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/** Starting engines on fresh databases, fixtures, and waiting for jobs. */
public final class ProcessingTestSupport {
    private ProcessingTestSupport() {
    }

    /** A configuration on a fresh database with a local store under {@code home}; extra keys override. */
    public static ProcessingConfig config(Path home, String dbUrl, Map<String, String> extra) {
        Map<String, String> m = new HashMap<>();
        m.put(ProcessingConfig.DATABASE_URL, dbUrl);
        m.put(ProcessingConfig.JOBS_POLL, "200");
        m.put(ProcessingConfig.JOBS_RETRY_BASE, "50");
        m.putAll(extra);
        return ProcessingConfig.load(m, Map.of(), home);
    }

    public static InputStream fixture(String name) {
        InputStream in = ProcessingTestSupport.class.getResourceAsStream("/fixtures/" + name);
        if (in == null) {
            throw new IllegalArgumentException("no fixture " + name);
        }
        return in;
    }

    public static byte[] fixtureBytes(String name) {
        try (InputStream in = fixture(name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<UploadPart> part(String name) {
        return List.of(new UploadPart(name.substring(name.lastIndexOf('/') + 1), null, fixture(name)));
    }

    /** Follows a job through the service until it is terminal (bounded: fails the test after a minute). */
    public static Job awaitTerminal(Processing p, UUID owner, UUID jobId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Job seen = null;
        while (System.nanoTime() < deadline) {
            Job j = p.jobs().awaitChange(owner, jobId, seen, Duration.ofSeconds(5)).orElseThrow();
            if (j.state().terminal()) {
                return j;
            }
            seen = j;
        }
        throw new AssertionError("job " + jobId + " did not finish within a minute: " + seen);
    }

    /** Waits for a condition re-checked on every notification-driven change (bounded). */
    public static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    /**
     * Begins a transaction on {@code tx} holding {@code owner}'s row as an owner transaction does (another process's
     * upload, say): {@link OwnerTurns#LOCK_ROW}. Rolling back or closing {@code tx} lets it go.
     */
    public static void lockOwnerRow(Connection tx, UUID owner) throws SQLException {
        tx.setAutoCommit(false);
        try (PreparedStatement ps = tx.prepareStatement(OwnerTurns.LOCK_ROW)) {
            ps.setObject(1, owner);
            ps.executeQuery().close();
        }
    }
}
