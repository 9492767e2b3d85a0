package dev.vsa.server.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.vsa.processing.CpuPriority;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * bcrypt with a configurable cost (at least 10), on a small pool of its own: {@code threads} hash at once and at
 * most {@code queue} wait; a hash past that is refused at once with {@link Busy} instead of parking its caller.
 * Request threads only wait for their own hash, and at most {@code timeout} (then {@link Busy} too), and nothing
 * else the server does (reads, uploads, event streams, health) ever queues behind one.
 */
public final class PasswordHasher implements AutoCloseable {
    public static final int MIN_COST = 10;
    /** bcrypt reads at most 72 bytes of a password; longer ones are refused rather than silently cut. */
    public static final int MAX_PASSWORD_BYTES = 72;

    /** The longest a caller waits for its hash unless told otherwise. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    /** No hashing capacity left, or the hash did not finish in time: answer 429 with Retry-After. */
    public static final class Busy extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final long retryAfterSeconds;

        Busy(long retryAfterSeconds) {
            this(retryAfterSeconds, "password hashing is at capacity");
        }

        Busy(long retryAfterSeconds, String why) {
            super(why, null, false, false);
            this.retryAfterSeconds = retryAfterSeconds;
        }

        /** Whole seconds to send as {@code Retry-After} (at least 1). */
        public long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }

    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private final int cost;
    private final ThreadPoolExecutor pool;
    /**
     * Hands each result to its waiting request thread. A thread started by a hashing thread inherits its nice
     * value, and waking a virtual thread may start a carrier thread of the scheduler: the wake-up comes from this
     * thread (normal priority, started here), so request carriers never run at the hashing threads' priority.
     */
    private final ThreadPoolExecutor relay;
    /** The CPU hashing may use on average, or null: only the pool bounds it. */
    private final HashBudget budget;
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong timedOut = new AtomicLong();
    /** How long a caller waits for its hash, queued and computed. */
    private final Duration timeout;
    /** Checked against when the user does not exist, so a wrong username costs as long as a wrong password. */
    private final String dummyHash;

    /**
     * @param cost    bcrypt cost, 10..31
     * @param threads hashes computed at once (about one per core)
     * @param queue   hashes that may wait for a thread (0: none)
     */
    public PasswordHasher(int cost, int threads, int queue) {
        this(cost, threads, queue, 0);
    }

    /**
     * As {@link #PasswordHasher(int, int, int)}, the hashing threads at OS nice value {@code nice} (0..19): request
     * threads then win the CPU from a flood of hashes ({@link CpuPriority}).
     */
    public PasswordHasher(int cost, int threads, int queue, int nice) {
        this(cost, threads, queue, nice, null);
    }

    /**
     * As {@link #PasswordHasher(int, int, int, int)}, hashing within a CPU {@code budget} (null: none); a hash
     * past it is refused at once with {@link Busy}.
     */
    public PasswordHasher(int cost, int threads, int queue, int nice, HashBudget budget) {
        this(cost, threads, queue, nice, false, budget);
    }

    /**
     * As {@link #PasswordHasher(int, int, int, int, HashBudget)}, the hashing threads also under {@code SCHED_IDLE}
     * with {@code idle} ({@link CpuPriority#lowerCurrentThread(int, boolean)}): a request thread that wakes takes
     * their core at once.
     */
    public PasswordHasher(int cost, int threads, int queue, int nice, boolean idle, HashBudget budget) {
        this(cost, threads, queue, nice, idle, budget, DEFAULT_TIMEOUT);
    }

    /**
     * As {@link #PasswordHasher(int, int, int, int, boolean, HashBudget)}, a caller waiting at most {@code timeout}
     * for its hash (queued and computed; {@code auth.hash-timeout-seconds}): past it, {@link Busy}. A hash that had
     * not started is dropped; one already computing finishes unseen.
     */
    public PasswordHasher(int cost, int threads, int queue, int nice, boolean idle, HashBudget budget, Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the hash timeout must be positive, was " + timeout);
        }
        this.timeout = timeout;
        if (cost < MIN_COST || cost > 31) {
            throw new IllegalArgumentException("bcrypt cost must be between " + MIN_COST + " and 31, not " + cost);
        }
        if (threads < 1 || queue < 0 || nice < 0 || nice > 19) {
            throw new IllegalArgumentException("hash threads must be >= 1, queue >= 0 and nice 0..19, were "
                    + threads + ", " + queue + ", " + nice);
        }
        this.cost = cost;
        this.budget = budget;
        AtomicInteger n = new AtomicInteger();
        BlockingQueue<Runnable> q = queue == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(queue);
        this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS, q,
                r -> Thread.ofPlatform().daemon().name("vsa-bcrypt-" + n.incrementAndGet()).unstarted(() -> {
                    CpuPriority.lowerCurrentThread(nice, idle);
                    r.run();
                }),
                new ThreadPoolExecutor.AbortPolicy());
        this.relay = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> Thread.ofPlatform().daemon().name("vsa-bcrypt-relay").unstarted(r));
        relay.prestartAllCoreThreads();
        long cpu = CPU.getCurrentThreadCpuTime();
        this.dummyHash = BCrypt.withDefaults().hashToString(cost, ("not-a-real-password-" + System.nanoTime()).toCharArray());
        if (budget != null) {
            budget.expect(CPU.getCurrentThreadCpuTime() - cpu); // what the first burst of hashes reserves
        }
    }

    /**
     * The bcrypt hash of {@code password}.
     *
     * @throws Busy if every thread is hashing and the queue is full
     */
    public String hash(String password) {
        return run(() -> BCrypt.withDefaults().hashToString(cost, password.toCharArray()));
    }

    /**
     * Whether {@code password} matches {@code hash}; with a null hash, spends the same time and says no.
     *
     * @throws Busy if every thread is hashing and the queue is full
     */
    public boolean verify(String password, String hash) {
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
            run(() -> BCrypt.verifyer().verify("x".toCharArray(), dummyHash));
            return false;
        }
        boolean ok = run(() -> BCrypt.verifyer().verify(password.toCharArray(), hash == null ? dummyHash : hash).verified);
        return ok && hash != null;
    }

    /** Runs {@code work} as a hash: on the pool, within the budget, waited for at most the timeout. */
    <T> T run(Callable<T> work) {
        HashBudget.Admission admission = budget == null ? null : budget.admit();
        if (admission != null && !admission.admitted()) {
            rejected.incrementAndGet();
            throw new Busy(Math.max(1, TimeUnit.NANOSECONDS.toSeconds(admission.waitNanos() + 999_999_999)));
        }
        CompletableFuture<T> done = new CompletableFuture<>();
        // The reservation is settled once: by the hash when it runs, or given back if it never does.
        AtomicBoolean claimed = new AtomicBoolean();
        Future<?> f;
        try {
            f = pool.submit(() -> {
                if (!claimed.compareAndSet(false, true)) {
                    return; // cancelled before it started
                }
                long cpu = budget == null ? 0 : CPU.getCurrentThreadCpuTime();
                Runnable outcome = outcome(work, done);
                long used = budget == null ? 0 : CPU.getCurrentThreadCpuTime() - cpu;
                // Settled on the relay, not here: this thread runs at SCHED_IDLE, and holding the budget's lock
                // at that priority would keep request threads waiting on admit() behind it.
                Runnable complete = budget == null ? outcome : () -> {
                    budget.settle(admission, used);
                    outcome.run();
                };
                try {
                    relay.execute(complete);
                } catch (RejectedExecutionException closing) {
                    complete.run();
                }
            });
        } catch (RejectedExecutionException e) {
            release(admission);
            rejected.incrementAndGet();
            throw new Busy(1);
        }
        try {
            return done.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            if (claimed.compareAndSet(false, true)) {
                release(admission); // still queued: it never runs
                if (f instanceof Runnable queued) {
                    pool.remove(queued); // and frees its place in the queue now
                }
            }
            f.cancel(false);
            timedOut.incrementAndGet();
            throw new Busy(Math.max(1, timeout.toSeconds()), "a password hash took longer than "
                    + timeout.toMillis() + " ms (auth.hash-timeout-seconds)");
        } catch (InterruptedException e) {
            if (claimed.compareAndSet(false, true)) {
                release(admission);
            }
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while hashing", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("bcrypt failed", e.getCause());
        }
    }

    private void release(HashBudget.Admission admission) {
        if (admission != null) {
            budget.release(admission);
        }
    }

    /** Hashes being computed now (for {@code vsa_auth_hash_active}). */
    public int active() {
        return pool.getActiveCount();
    }

    /** Hashes waiting for a thread now (for {@code vsa_auth_hash_queued}). */
    public int queued() {
        return pool.getQueue().size();
    }

    /** Hashes refused since start because the pool and its queue were full or the CPU budget spent (429 busy). */
    public long rejected() {
        return rejected.get();
    }

    /** Hashes whose caller stopped waiting for them since start (answered 429 busy). */
    public long timedOut() {
        return timedOut.get();
    }

    /** Runs {@code work}; returns what completes {@code done} with its result or failure. */
    private static <T> Runnable outcome(Callable<T> work, CompletableFuture<T> done) {
        try {
            T value = work.call();
            return () -> done.complete(value);
        } catch (Throwable e) {
            return () -> done.completeExceptionally(e);
        }
    }

    /** Stops the hashing threads (hashes in progress finish). */
    @Override
    public void close() {
        pool.shutdown();
        relay.shutdown(); // a hash still running completes its caller itself
    }
}
