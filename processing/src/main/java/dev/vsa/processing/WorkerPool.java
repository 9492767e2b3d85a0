package dev.vsa.processing;

import dev.vsa.core.error.MalformedInputException;
import dev.vsa.processing.internal.Database;
import dev.vsa.processing.internal.FileTrees;
import dev.vsa.processing.internal.JobQueue;
import dev.vsa.processing.internal.Notifier;
import dev.vsa.processing.internal.ProcessDir;
import dev.vsa.processing.storage.ObjectNotFoundException;
import dev.vsa.processing.storage.ObjectStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * N worker threads claiming and running jobs until {@link #shutdown}. Each idle worker sleeps until a
 * {@code vsa_jobs} notification or the poll interval, whichever comes first; a heartbeat thread renews the
 * leases of running jobs and picks up cancellation; workers also take back jobs whose lease expired.
 * Obtain one from {@link Processing#startWorkers(int)}.
 */
public final class WorkerPool implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerPool.class);
    private static final AtomicInteger POOLS = new AtomicInteger();
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(5);
    /** A recurring failure (database away) is logged at WARN at once, then at most this often. */
    private static final Duration WARN_EVERY = Duration.ofMinutes(1);
    /** Names of worker scratch directories (and their lock files) under {@code <home>/tmp/work}. */
    private static final String SCRATCH_PREFIX = "worker-";

    private final Database db;
    private final JobQueue queue;
    private final ObjectStore store;
    private final ProcessingConfig config;
    private final Notifier notifier;
    private final Map<String, JobHandler> handlers;
    private final Metrics metrics;
    /** Whether an API shares this process: then workers lower their CPU priority. */
    private final java.util.function.BooleanSupplier belowApi;
    private final List<Thread> threads = new ArrayList<>();
    private final Set<RunningJob> running = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService heartbeat;
    private final Runnable wake = this::wake;
    private final Object signal = new Object();
    private final ProcessDir scratch;
    private final WorkerHealth health = new WorkerHealth();
    private final WarnLimiter claimWarn = new WarnLimiter(LOG, WARN_EVERY);
    private final WarnLimiter beatWarn = new WarnLimiter(LOG, WARN_EVERY);
    private final WarnLimiter progressWarn = new WarnLimiter(LOG, WARN_EVERY);
    private long wakeups;
    private volatile boolean stopping;
    private volatile long lastReap;

    WorkerPool(int n, Database db, JobQueue queue, ObjectStore store, ProcessingConfig config, Notifier notifier,
               Map<String, JobHandler> handlers, Metrics metrics, java.util.function.BooleanSupplier belowApi) {
        if (n < 1 || n > 256) {
            throw new IllegalArgumentException("worker count must be 1..256, was " + n);
        }
        this.db = db;
        this.queue = queue;
        this.store = store;
        this.config = config;
        this.notifier = notifier;
        this.handlers = Map.copyOf(handlers);
        this.metrics = metrics;
        this.belowApi = belowApi;
        try {
            this.scratch = ProcessDir.create(scratchRoot(config), SCRATCH_PREFIX);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a scratch directory", e);
        }
        String host = ProcessHandle.current().pid() + "@" + hostName();
        int pool = POOLS.incrementAndGet();
        notifier.onJobReady(wake);
        long beat = Math.max(200, config.leaseDuration().toMillis() / 3);
        heartbeat = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("vsa-heartbeat").unstarted(r));
        heartbeat.scheduleWithFixedDelay(this::beat, beat, beat, TimeUnit.MILLISECONDS);
        for (int i = 0; i < n; i++) {
            String owner = host + "/" + pool + "-" + i + "-" + UUID.randomUUID().toString().substring(0, 8);
            Thread t = Thread.ofPlatform().name("vsa-worker-" + pool + "-" + i).unstarted(() -> loop(owner));
            threads.add(t);
            t.start();
        }
    }

    private static Path scratchRoot(ProcessingConfig config) {
        return config.home().resolve("tmp").resolve("work");
    }

    /**
     * Deletes the scratch directories of workers that died without cleaning up (SIGKILL, OOM killer, power
     * loss): those whose owner no longer holds their lock; and, once untouched for {@code legacyAge}, the
     * {@code vsa-worker-*} directories earlier versions made in the system's temporary directory.
     */
    static void sweepScratch(ProcessingConfig config, Duration legacyAge) {
        for (Path dead : ProcessDir.sweep(scratchRoot(config), SCRATCH_PREFIX, legacyAge)) {
            LOG.info("removed {}: its worker process is gone", dead);
        }
        ProcessDir.sweep(Path.of(System.getProperty("java.io.tmpdir")), "vsa-worker-", legacyAge);
    }

    WorkerHealth health() {
        return health;
    }

    boolean stopped() {
        return stopping;
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    /** Number of worker threads. */
    public int size() {
        return threads.size();
    }

    /** Jobs running right now in this pool. */
    public int busy() {
        return running.size();
    }

    private void wake() {
        synchronized (signal) {
            wakeups++;
            signal.notifyAll();
        }
    }

    private void loop(String owner) {
        long dbBackoff = 100;
        boolean lowered = false;
        while (!stopping) {
            if (!lowered && belowApi.getAsBoolean()) {
                // Below request handling when the API shares the process; the job's helper threads inherit it.
                CpuPriority.lowerCurrentThread(config.limits().backgroundNice());
                lowered = true;
            }
            long seen;
            synchronized (signal) {
                seen = wakeups;
            }
            Optional<JobQueue.Claim> claim;
            try {
                reapIfDue();
                claim = queue.claim(owner, handlers.keySet(), config.leaseDuration());
                dbBackoff = 100;
                health.claimSucceeded();
            } catch (SQLException | RuntimeException e) {
                health.claimFailed(e);
                claimWarn.warn("workers cannot claim jobs ({}); retrying with backoff", WorkerHealth.message(e));
                sleep(dbBackoff);
                dbBackoff = Math.min(dbBackoff * 2, 5_000);
                continue;
            }
            if (claim.isPresent()) {
                run(claim.get());
                continue;
            }
            synchronized (signal) {
                if (wakeups == seen && !stopping) {
                    try {
                        signal.wait(config.pollInterval().toMillis());
                    } catch (InterruptedException e) {
                        if (stopping) {
                            return;
                        }
                    }
                }
            }
        }
    }

    private void sleep(long ms) {
        synchronized (signal) {
            try {
                if (!stopping) {
                    signal.wait(ms);
                }
            } catch (InterruptedException e) {
                // stopping is checked by the loop
            }
        }
    }

    private void reapIfDue() throws SQLException {
        long now = System.nanoTime();
        long every = Math.max(100, config.leaseDuration().toMillis() / 2) * 1_000_000;
        if (now - lastReap < every) {
            return;
        }
        lastReap = now;
        db.inTransaction(c -> {
            for (JobQueue.Reaped r : JobQueue.reapExpired(c)) {
                LOG.info("job {} ({}) lost its worker; now {}", r.id(), r.kind(), r.state());
                if (!r.state().equals("queued")) {
                    JobHandler h = handlers.get(r.kind());
                    Optional<Job> j = JobService.load(c, r.id());
                    if (h != null && j.isPresent()) {
                        h.onGiveUp(c, j.get(), j.get().lastError(), r.state().equals("cancelled"), null);
                    }
                }
            }
            return null;
        });
    }

    private void beat() {
        boolean failed = false;
        for (RunningJob r : running) {
            try {
                JobQueue.Beat b = queue.heartbeat(r.claim, config.leaseDuration());
                if (!b.leaseHeld()) {
                    r.leaseLost = true;
                }
                if (b.cancelRequested()) {
                    r.cancelRequested = true;
                }
            } catch (SQLException | RuntimeException e) {
                failed = true;
                health.heartbeatFailed(e);
                beatWarn.warn("cannot renew the lease of job {} ({}); if this lasts past the lease, another worker "
                        + "will run the job again", r.claim.id(), WorkerHealth.message(e));
            }
        }
        if (!failed) {
            health.heartbeatSucceeded();
        }
    }

    /** A progress write of a running job failed: best effort, but counted and logged (rate-limited). */
    void progressFailed(RunningJob r, SQLException e) {
        health.progressFailed(e);
        progressWarn.warn("cannot record the progress of job {} ({})", r.claim.id(), WorkerHealth.message(e));
    }

    private void run(JobQueue.Claim claim) {
        Job job = claim.job();
        long started = System.nanoTime();
        // The request that queued the job (if any) and the job itself name every log line of this run.
        String requestId = job.payload() == null ? null : job.payload().path(JobQueue.REQUEST_ID).asText(null);
        MDC.put("job_id", job.id().toString());
        RequestContext.set(requestId);
        try {
            String outcome = runMeasured(claim);
            long nanos = System.nanoTime() - started;
            metrics.jobRun(job.kind(), outcome, nanos);
            LOG.info("job {} ({}, attempt {}) {} in {} ms", job.id(), job.kind(), job.attempts(), outcome, nanos / 1_000_000);
        } finally {
            MDC.remove("job_id");
            RequestContext.clear();
        }
    }

    /** Runs the job and settles it; returns how it ended (the outcome label of {@code vsa_job_duration_seconds}). */
    private String runMeasured(JobQueue.Claim claim) {
        Job job = claim.job();
        JobHandler handler = handlers.get(job.kind());
        Path dir;
        try {
            dir = Files.createDirectories(scratch.path().resolve(job.id() + "-" + job.attempts()));
        } catch (IOException e) {
            return settleTransient(claim, handler, e);
        }
        RunningJob ctx = new RunningJob(claim, db, queue, store, config, dir, this::progressFailed);
        if (stopping) {
            ctx.shutdownRequested = true;
        }
        running.add(ctx);
        try {
            handler.run(ctx);
            if (!ctx.completed()) {
                throw new IllegalStateException("handler of " + job.kind() + " returned without completing the job");
            }
            return "completed";
        } catch (JobStoppedException e) {
            switch (e.why()) {
                case CANCELLED -> {
                    giveUp(claim, handler, "cancelled on request", true, e);
                    return "cancelled";
                }
                case SHUTDOWN -> {
                    release(claim);
                    return "handed_back";
                }
                default -> {
                    LOG.warn("job {} lost its lease; another worker owns it now", job.id());
                    return "lease_lost";
                }
            }
        } catch (Throwable t) {
            // A broken JVM (InternalError, ...) ends the worker; its lease expires and a healthy one re-runs the job.
            // Out of memory or stack on one input, and linkage errors (a missing native library, a class that
            // failed to initialise) fail the job with their reason instead, and the worker goes on.
            if (t instanceof VirtualMachineError vm && !(t instanceof OutOfMemoryError || t instanceof StackOverflowError)) {
                LOG.error("job {} ({}): the JVM is broken ({}); this worker stops and the job's lease will expire",
                        job.id(), job.kind(), t.toString(), t);
                throw vm;
            }
            if (t instanceof VirtualMachineError) {
                LOG.error("job {} ({}) attempt {}: {}; the job fails, this worker goes on", job.id(), job.kind(),
                        job.attempts(), t.toString());
            } else if (permanent(t) && !(t instanceof JobFailedException) && !(t instanceof MalformedInputException)
                    && !(t instanceof ObjectNotFoundException)) {
                LOG.error("job {} ({}) attempt {} failed on an unexpected error; the job fails", job.id(), job.kind(),
                        job.attempts(), t);
            }
            if (permanent(t)) {
                giveUp(claim, handler, reason(t), false, t);
                return "failed";
            }
            return settleTransient(claim, handler, t);
        } finally {
            running.remove(ctx);
            FileTrees.deleteTree(dir);
        }
    }

    /** True for failures a retry cannot fix: bad input, a missing original, our own bugs. */
    static boolean permanent(Throwable t) {
        if (t instanceof JobFailedException f) {
            return f.permanent();
        }
        if (t instanceof MalformedInputException || t instanceof ObjectNotFoundException) {
            return true;
        }
        if (t instanceof IOException || t instanceof UncheckedIOException || t instanceof SQLException
                || t instanceof ProcessingException) {
            return false;
        }
        // SDK and client exceptions of the storage are transient; anything else is a bug or unsupported input.
        String name = t.getClass().getName();
        return !(name.startsWith("software.amazon.awssdk.") || name.startsWith("com.zaxxer.hikari."));
    }

    static String reason(Throwable t) {
        if (t instanceof MalformedInputException m) {
            return m.toString();
        }
        if (t instanceof JobFailedException) {
            return t.getMessage();
        }
        String msg = t.getMessage();
        if (t instanceof OutOfMemoryError) {
            return "OutOfMemoryError" + (msg == null ? "" : ": " + msg)
                    + " (the input needs more memory than this worker has; a larger -Xmx may process it)";
        }
        return t.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
    }

    private String settleTransient(JobQueue.Claim claim, JobHandler handler, Throwable t) {
        Job job = claim.job();
        String reason = reason(t);
        if (job.attempts() >= job.maxAttempts()) {
            giveUp(claim, handler, "gave up after " + job.attempts() + " attempts: " + reason, false, t);
            return "failed";
        }
        long base = config.retryBaseDelay().toMillis();
        long delay = Math.min(MAX_BACKOFF.toMillis(), base << Math.min(20, job.attempts() - 1));
        delay += (long) (delay * 0.2 * ThreadLocalRandom.current().nextDouble());
        LOG.info("job {} attempt {} failed ({}); retrying in {} ms", job.id(), job.attempts(), reason, delay);
        try {
            queue.retry(claim, Duration.ofMillis(delay), reason);
        } catch (SQLException | RuntimeException e) {
            LOG.warn("cannot schedule the retry of job {} ({}); its lease will expire and it will run again",
                    job.id(), e.getMessage());
        }
        return "retry";
    }

    private void giveUp(JobQueue.Claim claim, JobHandler handler, String reason, boolean cancelled, Throwable cause) {
        try {
            db.inTransaction(c -> {
                // false: the lease was lost, nothing written (the job's new holder records its end)
                if (cancelled ? JobQueue.cancelled(c, claim) : JobQueue.fail(c, claim, reason)) {
                    handler.onGiveUp(c, claim.job(), reason, cancelled, cause);
                }
                return null;
            });
        } catch (SQLException | RuntimeException e) {
            LOG.warn("cannot record the end of job {} ({}); its lease will expire and it will run again",
                    claim.id(), e.getMessage());
        }
    }

    private void release(JobQueue.Claim claim) {
        try {
            queue.release(claim);
        } catch (SQLException | RuntimeException e) {
            LOG.warn("cannot release job {} ({}); its lease will expire", claim.id(), e.getMessage());
        }
    }

    /**
     * Stops claiming, lets running jobs finish for up to {@code grace}, then asks them to stop at their next
     * checkpoint and gives their jobs back to the queue (the attempt does not count). Idempotent.
     */
    public void shutdown(Duration grace) {
        stopping = true;
        notifier.removeJobListener(wake);
        wake();
        long deadline = System.nanoTime() + grace.toNanos();
        join(deadline);
        if (threads.stream().anyMatch(Thread::isAlive)) {
            running.forEach(r -> r.shutdownRequested = true);
            join(System.nanoTime() + Duration.ofSeconds(10).toNanos());
        }
        heartbeat.shutdownNow();
        for (RunningJob r : running) {
            release(r.claim);
        }
        scratch.close();
    }

    private void join(long deadlineNanos) {
        for (Thread t : threads) {
            long left = (deadlineNanos - System.nanoTime()) / 1_000_000;
            if (left > 0) {
                try {
                    t.join(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** {@link #shutdown(Duration)} with 30 seconds of grace. */
    @Override
    public void close() {
        shutdown(Duration.ofSeconds(30));
    }

}
