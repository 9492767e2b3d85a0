package dev.vsa.core.format.util;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One task at a time on a daemon thread beside the caller's: the SPZ and KHR writers encode or compress one batch
 * there while the caller reads the next. The thread starts with the first task and ends at {@link #close}. What the
 * task throws comes out of {@link #await} as it was thrown: an {@link IOException}, a {@link RuntimeException} (a
 * {@code MalformedInputException} for a bad value) or an {@link Error} such as {@link OutOfMemoryError}, which the
 * CLI reports as such.
 *
 * <pre>{@code
 * BackgroundTask sh = new BackgroundTask("vsa-spz-sh", "compressing SPZ spherical harmonics");
 * sh.await();                    // the previous batch's task is done with the scratch
 * sh.submit(() -> compress(scratch));
 * ...
 * sh.await();
 * sh.close();
 * }</pre>
 */
public final class BackgroundTask implements AutoCloseable {
    private final String threadName;
    private final String work;
    private ExecutorService worker;
    private Future<?> pending;

    /**
     * @param threadName the thread's name, for thread dumps
     * @param work       what the tasks do, for the message when waiting is interrupted
     */
    public BackgroundTask(String threadName, String work) {
        this.threadName = threadName;
        this.work = work;
    }

    /**
     * Runs {@code task} on the thread.
     *
     * @throws IllegalStateException if the previous task has not been awaited
     */
    public void submit(Callable<?> task) {
        if (pending != null) {
            throw new IllegalStateException("the previous task of " + threadName + " was not awaited");
        }
        if (worker == null) {
            worker = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, threadName);
                t.setDaemon(true);
                return t;
            });
        }
        pending = worker.submit(task);
    }

    /**
     * Waits for the submitted task, if any, and rethrows what it threw.
     *
     * @throws IOException            the task's own
     * @throws InterruptedIOException if this thread is interrupted while waiting (its flag is set again)
     * @throws IllegalStateException  if the task threw another checked exception (a bug: tasks throw I/O errors)
     */
    public void await() throws IOException {
        if (pending == null) {
            return;
        }
        try {
            pending.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while " + work);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(c);
        } finally {
            pending = null;
        }
    }

    /**
     * Lets a running task end (its outcome no longer matters: the output is abandoned, but its buffers must not be
     * freed under it) and stops the thread. Keeps this thread's interrupt flag.
     */
    @Override
    public void close() {
        if (pending != null) {
            try {
                pending.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                // abandoned output
            }
            pending = null;
        }
        if (worker != null) {
            worker.shutdownNow();
            worker = null;
        }
    }
}
