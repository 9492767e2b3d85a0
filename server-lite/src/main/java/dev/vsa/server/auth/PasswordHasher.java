package dev.vsa.server.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * bcrypt with a configurable cost (at least 10), on a small pool of its own: {@code threads} hash at once and at
 * most {@code queue} wait; a hash past that is refused at once with {@link Busy} instead of parking its caller.
 * Request threads only wait for their own hash, and nothing else the server does (reads, uploads, event streams,
 * health) ever queues behind one.
 */
public final class PasswordHasher implements AutoCloseable {
    public static final int MIN_COST = 10;
    /** bcrypt reads at most 72 bytes of a password; longer ones are refused rather than silently cut. */
    public static final int MAX_PASSWORD_BYTES = 72;

    /** No hashing capacity left: answer 429 with Retry-After. */
    public static final class Busy extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Busy() {
            super("password hashing is at capacity", null, false, false);
        }
    }

    private final int cost;
    private final ThreadPoolExecutor pool;
    /** Checked against when the user does not exist, so a wrong username costs as long as a wrong password. */
    private final String dummyHash;

    /**
     * @param cost    bcrypt cost, 10..31
     * @param threads hashes computed at once (about one per core)
     * @param queue   hashes that may wait for a thread (0: none)
     */
    public PasswordHasher(int cost, int threads, int queue) {
        if (cost < MIN_COST || cost > 31) {
            throw new IllegalArgumentException("bcrypt cost must be between " + MIN_COST + " and 31, not " + cost);
        }
        if (threads < 1 || queue < 0) {
            throw new IllegalArgumentException("hash threads must be >= 1 and queue >= 0, were " + threads + ", " + queue);
        }
        this.cost = cost;
        AtomicInteger n = new AtomicInteger();
        BlockingQueue<Runnable> q = queue == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(queue);
        this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS, q,
                r -> Thread.ofPlatform().daemon().name("vsa-bcrypt-" + n.incrementAndGet()).unstarted(r),
                new ThreadPoolExecutor.AbortPolicy());
        this.dummyHash = BCrypt.withDefaults().hashToString(cost, ("not-a-real-password-" + System.nanoTime()).toCharArray());
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

    private <T> T run(Callable<T> work) {
        java.util.concurrent.Future<T> f;
        try {
            f = pool.submit(work);
        } catch (RejectedExecutionException e) {
            throw new Busy();
        }
        try {
            return f.get();
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while hashing", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("bcrypt failed", e.getCause());
        }
    }

    /** Stops the hashing threads (hashes in progress finish). */
    @Override
    public void close() {
        pool.shutdown();
    }
}
