package dev.vsa.processing;

import dev.vsa.processing.internal.Database;
import dev.vsa.processing.internal.JobQueue;
import dev.vsa.processing.internal.Notifier;
import dev.vsa.processing.internal.PrivateHome;
import dev.vsa.processing.storage.ObjectStore;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The processing engine of one process: database (migrated at start), object store, job queue, services,
 * and optionally workers. {@code vsa serve} starts one with workers, {@code vsa serve --no-worker} one without,
 * {@code vsa worker} one with workers only; all share state only through PostgreSQL and the store.
 *
 * <pre>{@code
 * try (Processing p = Processing.start(ProcessingConfig.fromEnvironment(System.getenv(), null))) {
 *     p.startWorkers(2);
 *     User u = p.users().create("ada", "ada@example.org", bcryptHash);
 *     Scene s = p.scenes().upload(u.id(), List.of(new UploadPart("room.ply", null, in)));
 * }
 * }</pre>
 */
public final class Processing implements AutoCloseable {
    /** Job kind run after every upload. */
    public static final String PROCESS = "process";
    /** Job kind of a conversion request. */
    public static final String CONVERT = "convert";
    /** Job kind that deletes a deleted scene's stored objects, retried until the store answers. */
    public static final String PURGE = "purge";
    /** Job kind of one webhook delivery. */
    public static final String WEBHOOK = "webhook";
    /** How long the exit hook lets running jobs finish before they go back to the queue. */
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(20);

    private final ProcessingConfig config;
    private final Database db;
    private final ObjectStore store;
    private final Metrics metrics;
    private final Notifier notifier;
    private final JobQueue queue;
    private final Map<String, JobHandler> handlers = new ConcurrentHashMap<>();
    private final SceneService scenes;
    private final UserService users;
    private final JobService jobs;
    private final WebhookService webhooks;
    private final ApiTokenService tokens;
    /** Who requests are, shared by the two services that find and forget them, told by the change feed. */
    private final PrincipalCache principals;
    private final ShareService shares;
    private final dev.vsa.processing.resumable.ResumableUploads resumable;
    private final DirectUploads directUploads;
    private final List<WorkerPool> pools = new ArrayList<>();
    private volatile boolean closed;
    /** An API serves requests from this process: its workers then run below them ({@link #servesApi}). */
    private volatile boolean servesApi;
    /** Stops workers, then the embedded server this process started, when the JVM exits; null otherwise. */
    private final Thread embeddedShutdown;
    /** Spooled uploads untouched this long were left by a process that died mid-upload. */
    private static final java.time.Duration STALE_STAGING = java.time.Duration.ofHours(6);

    private Processing(ProcessingConfig config, Database db, ObjectStore store, Metrics metrics) {
        this.config = config;
        this.db = db;
        this.store = store;
        this.metrics = metrics;
        this.notifier = new Notifier(db);
        this.principals = new PrincipalCache(notifier::connected);
        notifier.onPrincipalChange(principals::hear);
        this.queue = new JobQueue(db);
        OwnerTurns ownerTurns = new OwnerTurns(db);
        this.scenes = new SceneService(db, store, config, ownerTurns);
        scenes.sweepStaging(STALE_STAGING);
        WorkerPool.sweepScratch(config, STALE_STAGING);
        this.users = new UserService(db, principals, ownerTurns);
        this.jobs = new JobService(db, notifier, config, handlers);
        handlers.put(PROCESS, new ProcessJobHandler(config.webhooksMaxAttempts()));
        handlers.put(CONVERT, new ConvertJobHandler());
        handlers.put(PURGE, new PurgeJobHandler());
        handlers.put(WEBHOOK, new WebhookJobHandler(config));
        this.directUploads = new DirectUploads(db, store, scenes, config);
        handlers.put(DirectUploads.EXPIRE, new DirectUploadExpiryHandler(directUploads));
        this.webhooks = new WebhookService(db, config, ownerTurns);
        this.tokens = new ApiTokenService(db, principals, ownerTurns);
        this.shares = new ShareService(db);
        this.resumable = new dev.vsa.processing.resumable.ResumableUploads(db, store, scenes, config.maxUploadBytes(),
                config.resumableExpiry(), config.limits().resumableMaxOpen(), java.time.Clock.systemUTC());
        resumable.startSweeper();
        metrics.watchJobs(db, handlers.keySet());
        notifier.start();
        if (db.ownsEmbeddedServer()) {
            embeddedShutdown = new Thread(() -> close(SHUTDOWN_GRACE), "vsa-embedded-db-shutdown");
            Runtime.getRuntime().addShutdownHook(embeddedShutdown);
        } else {
            embeddedShutdown = null;
        }
    }

    /**
     * Starts the engine: the embedded PostgreSQL if no URL is configured, the pool, migrations, the store.
     *
     * @throws ProcessingException if the database or the store cannot be reached
     */
    public static Processing start(ProcessingConfig config) {
        ObjectStore store;
        try {
            PrivateHome.secure(config.home());
        } catch (IOException e) {
            throw new ProcessingException("cannot make the vsa home " + config.home() + " private: " + e.getMessage(), e);
        }
        try {
            store = ObjectStore.open(config.storage());
        } catch (IOException e) {
            throw new ProcessingException("storage unavailable: " + e.getMessage(), e);
        }
        try {
            return start(config, store);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /**
     * Starts the engine on a given store (a wrapper around a real one, for instance); the store is closed
     * with the engine.
     *
     * @throws ProcessingException if the database cannot be reached or migrated
     */
    public static Processing start(ProcessingConfig config, ObjectStore store) {
        Metrics metrics = new Metrics();
        try {
            return new Processing(config, Database.open(config, metrics.registry()), store, metrics);
        } catch (RuntimeException e) {
            metrics.close();
            throw e;
        }
    }

    public ProcessingConfig config() {
        return config;
    }

    public UserService users() {
        return users;
    }

    public SceneService scenes() {
        return scenes;
    }

    public JobService jobs() {
        return jobs;
    }

    public ShareService shares() {
        return shares;
    }

    /** Resumable (tus) uploads: their state, pieces, and the scene each becomes. */
    public dev.vsa.processing.resumable.ResumableUploads resumableUploads() {
        return resumable;
    }

    /** Uploads straight to the bucket (S3 storage). */
    public DirectUploads directUploads() {
        return directUploads;
    }

    /** This process's principal cache (tests). */
    PrincipalCache principals() {
        return principals;
    }

    public ApiTokenService tokens() {
        return tokens;
    }

    public WebhookService webhooks() {
        return webhooks;
    }

    public ObjectStore store() {
        return store;
    }

    /** This process's meters ({@code /metrics} on the API and on a worker's own port). */
    public Metrics metrics() {
        return metrics;
    }

    /**
     * Whether the database and the store answer now: {@code "ok"} or the error, by {@code database} and
     * {@code storage} ({@code /readyz}).
     */
    public Map<String, String> readiness() {
        Map<String, String> r = new java.util.LinkedHashMap<>();
        try (java.sql.Connection c = db.connection(); java.sql.Statement s = c.createStatement()) {
            s.execute("SELECT 1");
            r.put("database", "ok");
        } catch (java.sql.SQLException | RuntimeException e) {
            r.put("database", String.valueOf(e.getMessage()));
        }
        try {
            store.stat("readyz-probe"); // absent is fine: the store answered
            r.put("storage", "ok");
        } catch (IOException | RuntimeException e) {
            r.put("storage", String.valueOf(e.getMessage()));
        }
        return r;
    }

    /** The JDBC URL in use (the embedded server's, if embedded); carries no password unless the URL did. */
    public String databaseUrl() {
        return db.url();
    }

    /**
     * The workers of this process as an operator sees them: counts of failed claims, lease renewals and progress
     * writes, and what fails right now (for {@code /readyz}).
     */
    public synchronized WorkerStatus workerStatus() {
        int workers = 0;
        int busy = 0;
        long claims = 0;
        long beats = 0;
        long progress = 0;
        String problem = null;
        String last = null;
        java.time.Instant lastAt = null;
        for (WorkerPool p : pools) {
            if (p.stopped()) {
                continue;
            }
            WorkerHealth h = p.health();
            workers += p.size();
            busy += p.busy();
            claims += h.claimFailures.get();
            beats += h.heartbeatFailures.get();
            progress += h.progressFailures.get();
            if (problem == null) {
                problem = h.problem();
            }
            if (h.lastErrorAt() != null && (lastAt == null || h.lastErrorAt().isAfter(lastAt))) {
                lastAt = h.lastErrorAt();
                last = h.lastError();
            }
        }
        return new WorkerStatus(workers, busy, claims, beats, progress, problem, last, lastAt);
    }

    /**
     * Adds a handler for another job kind; workers started afterwards claim jobs of that kind too.
     *
     * @throws IllegalArgumentException if the kind is taken or blank
     */
    public void registerHandler(String kind, JobHandler handler) {
        if (kind == null || kind.isBlank() || handler == null) {
            throw new IllegalArgumentException("kind and handler must be given");
        }
        if (handlers.putIfAbsent(kind, handler) != null) {
            throw new IllegalArgumentException("a handler for '" + kind + "' is registered already");
        }
    }

    /**
     * Starts {@code n} workers in this process. They stop on {@link WorkerPool#shutdown} or {@link #close()}.
     *
     * @throws IllegalArgumentException if {@code n} is outside 1..256
     * @throws IllegalStateException if the engine is closed
     */
    public synchronized WorkerPool startWorkers(int n) {
        if (closed) {
            throw new IllegalStateException("processing is closed");
        }
        WorkerPool p = new WorkerPool(n, db, queue, store, config, notifier, handlers, metrics, () -> servesApi);
        pools.add(p);
        return p;
    }

    /**
     * Says that an API serves requests from this process (the server calls it): from their next job on, its workers
     * run at nice {@code cpu.background-nice} so requests win the CPU from conversions. A worker process of its
     * own keeps normal priority (on a shared machine a low one would starve it behind everything else).
     */
    public void servesApi() {
        servesApi = true;
    }

    /**
     * Stops workers (30 s grace, then their jobs go back to the queue), the listener, the pool, the store and
     * the embedded database if this process started it.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (embeddedShutdown != null && Thread.currentThread() != embeddedShutdown) {
            try {
                Runtime.getRuntime().removeShutdownHook(embeddedShutdown);
            } catch (IllegalStateException alreadyExiting) {
                // the JVM is shutting down; the hook will find us closed
            }
        }
        for (WorkerPool p : pools) {
            p.close();
        }
        notifier.close();
        resumable.close();
        scenes.close();
        store.close();
        db.close();
        metrics.close();
    }

    /** Waits for the workers' current jobs for up to {@code grace} before closing (SIGTERM handling). */
    public synchronized void close(Duration grace) {
        for (WorkerPool p : pools) {
            p.shutdown(grace);
        }
        close();
    }
}
