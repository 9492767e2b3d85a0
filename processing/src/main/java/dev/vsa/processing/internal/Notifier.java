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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One LISTEN connection per process: {@code vsa_jobs} (a job became due: wake workers),
 * {@code vsa_job_events} (a job changed: wake whoever follows it) and {@code vsa_principals} (an account was
 * deleted or a token revoked: every API process forgets it). Reconnects with backoff when the database goes away,
 * and wakes everyone on reconnect, since notifications sent meanwhile are lost.
 */
public final class Notifier implements AutoCloseable {
    public static final String JOBS_CHANNEL = "vsa_jobs";
    public static final String EVENTS_CHANNEL = "vsa_job_events";
    public static final String PRINCIPALS_CHANNEL = "vsa_principals";
    private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);

    private final Database db;
    private final Thread thread;
    private final List<Runnable> jobListeners = new CopyOnWriteArrayList<>();
    private final List<java.util.function.Consumer<String>> principalListeners = new CopyOnWriteArrayList<>();
    private final Map<UUID, Watch> watches = new ConcurrentHashMap<>();
    private volatile boolean closed;
    private volatile boolean connected;
    private volatile Connection connection;
    private final LongAdder reads = new LongAdder();

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

    /**
     * Called (on the notifier thread; keep it short) with the payload of each notification on
     * {@link #PRINCIPALS_CHANNEL}, and with null whenever some may have been missed: on every (re)connect.
     */
    public void onPrincipalChange(java.util.function.Consumer<String> listener) {
        principalListeners.add(listener);
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
                    s.execute("LISTEN " + PRINCIPALS_CHANNEL);
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
                        } else if (n.getName().equals(PRINCIPALS_CHANNEL)) {
                            principalListeners.forEach(l -> l.accept(n.getParameter()));
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
        principalListeners.forEach(l -> l.accept(null));
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

    /**
     * Registers interest in a job's changes until {@link Watch#close()}: the handle counts the job's change
     * notifications, lets a virtual thread wait for the next one without pinning its carrier, and shares the
     * last read of the job among every follower of it (one database read per change, not one per follower).
     */
    public Watch watch(UUID jobId) {
        return watches.compute(jobId, (k, w) -> (w == null ? new Watch(k) : w).retain());
    }

    /** Followers currently registered (all jobs). */
    public int followers() {
        return watches.values().stream().mapToInt(Watch::holders).sum();
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

    /**
     * The shared change feed of one job: a counter bumped by each notification (and by every reconnect, since
     * notifications sent while disconnected are lost), a lock and condition to wait on (a
     * {@link java.util.concurrent.locks.ReentrantLock} parks a virtual thread without pinning its carrier, unlike
     * {@code synchronized} + {@code wait()} on JDK 21), and the job as last read at a given counter value.
     */
    public final class Watch implements AutoCloseable {
        private final UUID jobId;
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition changed = lock.newCondition();
        /** Held during a shared read, apart from {@link #lock} so notifications never wait for a query. */
        private final ReentrantLock readLock = new ReentrantLock();
        private long version;
        private int holders;
        private long readAt = -1;
        private Object read;

        private Watch(UUID jobId) {
            this.jobId = jobId;
        }

        private Watch retain() {
            lock.lock();
            try {
                holders++;
                return this;
            } finally {
                lock.unlock();
            }
        }

        private int holders() {
            lock.lock();
            try {
                return holders;
            } finally {
                lock.unlock();
            }
        }

        /** The change counter now. */
        public long version() {
            lock.lock();
            try {
                return version;
            } finally {
                lock.unlock();
            }
        }

        void bump() {
            lock.lock();
            try {
                version++;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        /**
         * Waits until the counter passes {@code seen} or {@code millis} pass; while the LISTEN connection is
         * down (changes may go unnoticed) for at most a second.
         *
         * @return the counter now
         */
        public long await(long seen, long millis) throws InterruptedException {
            long nanos = TimeUnit.MILLISECONDS.toNanos(connected ? millis : Math.min(millis, 1_000));
            lock.lock();
            try {
                while (version == seen && nanos > 0) {
                    nanos = changed.awaitNanos(nanos);
                }
                return version;
            } finally {
                lock.unlock();
            }
        }

        /**
         * The job as read at or after the current counter value: the first caller after a change reads it with
         * {@code reader} (concurrent followers wait for that one read instead of each reading), the others get the
         * same value. While disconnected every call reads.
         */
        @SuppressWarnings("unchecked")
        public <T> T read(ReadFn<T> reader) throws java.sql.SQLException {
            readLock.lock();
            try {
                long v = version();
                if (!connected || readAt != v) {
                    read = reader.read(jobId);
                    readAt = v;
                    reads.increment();
                }
                return (T) read;
            } finally {
                readLock.unlock();
            }
        }

        @Override
        public void close() {
            watches.computeIfPresent(jobId, (k, w) -> {
                w.lock.lock();
                try {
                    return --w.holders <= 0 ? null : w;
                } finally {
                    w.lock.unlock();
                }
            });
        }
    }

    /** Reads a job for {@link Watch#read}. */
    @FunctionalInterface
    public interface ReadFn<T> {
        T read(UUID jobId) throws java.sql.SQLException;
    }

    /** Reads made through {@link Watch#read} (shared reads; tests and metrics). */
    public long sharedReads() {
        return reads.sum();
    }
}
