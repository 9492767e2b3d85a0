package dev.vsa.core.format.util;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * A few independent tasks on all cores (the caller's thread is one of them), results in task order. Failures come
 * out as a sequential loop would throw them: the failure of the lowest task index, as it was thrown; once a task
 * fails no further task is started (tasks are taken in index order, so none before the failing one is skipped).
 *
 * <pre>{@code
 * int[][] images = Parallel.map(names.length, i -> decode(names[i]), int[][]::new);
 * }</pre>
 */
public final class Parallel {
    private Parallel() {
    }

    /** One task of {@link #map}. */
    @FunctionalInterface
    public interface Task<T> {
        T run(int index) throws IOException;
    }

    /**
     * Runs {@code task} for 0 to {@code n - 1} on up to {@code availableProcessors} threads.
     *
     * @throws IOException as the first failing task threw it (also any {@link RuntimeException} or {@link Error})
     */
    public static <T> T[] map(int n, Task<T> task, IntFunction<T[]> array) throws IOException {
        T[] results = array.apply(n);
        Throwable[] failures = new Throwable[n];
        AtomicInteger next = new AtomicInteger();
        AtomicBoolean failed = new AtomicBoolean();
        // The flag is read before an index is taken, so every index taken runs: all below a failing one do.
        // results and failures need no lock: each slot has one writer, and join() publishes them to this thread.
        Runnable worker = () -> {
            int i;
            while (!failed.get() && (i = next.getAndIncrement()) < n) {
                try {
                    results[i] = task.run(i);
                } catch (Throwable e) {
                    failures[i] = e;
                    failed.set(true);
                }
            }
        };
        int threads = Math.min(n, Runtime.getRuntime().availableProcessors());
        Thread[] helpers = new Thread[Math.max(0, threads - 1)];
        for (int t = 0; t < helpers.length; t++) {
            helpers[t] = new Thread(worker, "vsa-parallel-" + t);
            helpers[t].setDaemon(true);
            helpers[t].start();
        }
        worker.run();
        boolean interrupted = false;
        for (Thread t : helpers) {
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    interrupted = true; // the tasks are short: finish them, then keep the flag
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        for (Throwable e : failures) {
            if (e instanceof IOException io) {
                throw io;
            }
            if (e instanceof RuntimeException re) {
                throw re;
            }
            if (e instanceof Error er) {
                throw er;
            }
            if (e != null) {
                throw new IllegalStateException(e); // Task.run throws nothing else
            }
        }
        return results;
    }
}
