package dev.vsa.processing.internal;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;

/**
 * One LISTEN connection per process: {@code vsa_jobs} (a job became due: wake workers) and
 * {@code vsa_job_events} (a job changed: wake whoever follows it). Reconnects with backoff when the database
 * goes away, and wakes everyone on reconnect, since notifications sent meanwhile are lost.
 */
public final class Notifier implements AutoCloseable {
    public static final String JOBS_CHANNEL = "vsa_jobs";
    public static final String EVENTS_CHANNEL = "vsa_job_events";
    private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);

    private final Database db;
    private final Thread thread;
    private final List<Runnable> jobListeners = new CopyOnWriteArrayList<>();
    private final Map<UUID, Watch> watches = new ConcurrentHashMap<>();
    private volatile boolean closed;
    private volatile boolean connected;
    private volatile Connection connection;

    public Notifier(Database db) {
        this.db = db;
        this.thread = Thread.ofPlatform().daemon().name("vsa-notifier").unstarted(this::loop);
    }

    public void start() {
        thread.start();
    }

    /** Called (on the notifier thread; keep it short) whenever a job may be due. */
    public void onJobReady(Runnable r) {
        jobListeners.add(r);
    }

    public void removeJobListener(Runnable r) {
        jobListeners.remove(r);
    }

    /** True while the LISTEN connection is up. */
    public boolean connected() {
        return connected;
    }

    private void loop() {
        long backoff = 100;
        while (!closed) {
            try (Connection c = db.dedicatedConnection()) {
                connection = c;
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + JOBS_CHANNEL);
                    s.execute("LISTEN " + EVENTS_CHANNEL);
                }
                connected = true;
                backoff = 100;
                wakeAll();
                PGConnection pg = c.unwrap(PGConnection.class);
                while (!closed) {
                    PGNotification[] ns = pg.getNotifications(1000);
                    if (ns == null) {
                        continue;
                    }
                    boolean jobs = false;
                    for (PGNotification n : ns) {
                        if (n.getName().equals(JOBS_CHANNEL)) {
                            jobs = true;
                        } else {
                            signal(n.getParameter());
                        }
                    }
                    if (jobs) {
                        jobListeners.forEach(Runnable::run);
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    return;
                }
                connected = false;
                LOG.debug("LISTEN connection lost ({}); reconnecting in {} ms", e.getMessage(), backoff);
                wakeAll();
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    return;
                }
                backoff = Math.min(backoff * 2, 5_000);
            } finally {
                connected = false;
            }
        }
    }

    private void wakeAll() {
        jobListeners.forEach(Runnable::run);
        for (Watch w : watches.values()) {
            w.bump();
        }
    }

    private void signal(String payload) {
        try {
            Watch w = watches.get(UUID.fromString(payload));
            if (w != null) {
                w.bump();
            }
        } catch (IllegalArgumentException e) {
            // not ours
        }
    }

    /** The change counter of a job, to pass to {@link #await}. Registers interest until {@link #release}. */
    public long watch(UUID jobId) {
        return watches.compute(jobId, (k, w) -> (w == null ? new Watch() : w).retain()).version();
    }

    /** The current change counter of a watched job (0 if not watched). */
    public long watchVersion(UUID jobId) {
        Watch w = watches.get(jobId);
        return w == null ? 0 : w.version();
    }

    public void release(UUID jobId) {
        watches.computeIfPresent(jobId, (k, w) -> w.releaseOne() ? null : w);
    }

    /** Waits until the job's counter passes {@code version} or {@code millis} pass. */
    public void await(UUID jobId, long version, long millis) throws InterruptedException {
        Watch w = watches.get(jobId);
        if (w != null) {
            w.await(version, millis);
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        Connection c = connection;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final class Watch {
        private long version;
        private int holders;

        synchronized Watch retain() {
            holders++;
            return this;
        }

        synchronized boolean releaseOne() {
            return --holders <= 0;
        }

        synchronized long version() {
            return version;
        }

        synchronized void bump() {
            version++;
            notifyAll();
        }

        synchronized void await(long seen, long millis) throws InterruptedException {
            long deadline = System.nanoTime() + millis * 1_000_000;
            while (version == seen) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return;
                }
                wait(left);
            }
        }
    }
}
