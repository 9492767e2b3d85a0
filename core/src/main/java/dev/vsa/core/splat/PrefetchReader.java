package dev.vsa.core.splat;

import dev.vsa.core.format.util.BatchChecks;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Reads the next batches of another reader on a thread of its own while the caller works on the last one, so a
 * conversion parses (and decompresses) its input on one core while it encodes and writes on another: on two cores
 * the read side of a PLY or SPZ conversion then costs no wall time. Two batches circulate between the threads
 * (no allocation per batch); a caller's batch of the same capacity gets a read-ahead batch's rows by exchanging
 * arrays ({@link SplatBatch#swapRows}), any other is filled by copying. Errors of the underlying reader are thrown
 * by {@link #read} as they were thrown (same exception, same code). The wrapped reader is touched only by the
 * read-ahead thread; {@link #close()} stops that thread and leaves the wrapped reader to whoever opened it (close
 * this one first).
 */
final class PrefetchReader implements SplatReader {
    /** Batches read ahead. */
    private static final int DEPTH = 2;
    /** Sent when the underlying reader is done (or failed: see {@link #failure}). */
    private static final SplatBatch END = new SplatBatch(new SplatLayout(0, java.util.List.of()), 1);

    private final SplatReader in;
    private final BlockingQueue<SplatBatch> free = new ArrayBlockingQueue<>(DEPTH + 1);
    private final BlockingQueue<SplatBatch> full = new ArrayBlockingQueue<>(DEPTH + 1);
    private final Thread thread;
    private volatile boolean closed;
    /** What the read-ahead thread caught; published before {@link #END} is queued. */
    private volatile Throwable failure;
    private SplatBatch current;
    private int taken;
    private boolean ended;

    PrefetchReader(SplatReader in) {
        this.in = in;
        int capacity = SplatBatch.capacityFor(in.info().count());
        for (int i = 0; i < DEPTH; i++) {
            free.add(new SplatBatch(in.info().layout(), capacity));
        }
        thread = new Thread(this::fill, "vsa-read-ahead");
        thread.setDaemon(true);
        thread.start();
    }

    private void fill() {
        try {
            while (!closed) {
                SplatBatch b = free.take();
                if (closed) {
                    break;
                }
                int n = in.read(b);
                if (n <= 0) {
                    break;
                }
                full.put(b);
            }
        } catch (InterruptedException e) {
            // closed while waiting
        } catch (Throwable e) {
            failure = e;
        } finally {
            full.offer(END); // never blocks: at most DEPTH batches and this are ever queued
        }
    }

    @Override
    public SplatFileInfo info() {
        return in.info();
    }

    @Override
    public int read(SplatBatch batch) throws IOException {
        BatchChecks.checkRead(in.info().layout(), batch);
        if (closed) {
            throw new IllegalStateException("reader closed");
        }
        if (current == null && !ended) {
            try {
                current = full.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for the next splats");
            }
            taken = 0;
            if (current == END) {
                current = null;
                ended = true;
            }
        }
        if (ended) {
            Throwable t = failure;
            if (t != null) {
                failure = null;
                throw rethrow(t);
            }
            batch.setSize(0);
            return 0;
        }
        int n = Math.min(batch.capacity(), current.size() - taken);
        if (taken == 0 && batch.capacity() == current.capacity()) {
            // the whole batch read ahead: handed over, not copied (248 MB for 1M SH3 splats)
            batch.swapRows(current);
            free.add(current);
            current = null;
            return n;
        }
        int stride = batch.stride();
        System.arraycopy(current.array(), taken * stride, batch.array(), 0, n * stride);
        batch.setSize(n);
        taken += n;
        if (taken == current.size()) {
            free.add(current);
            current = null;
        }
        return n;
    }

    private static IOException rethrow(Throwable t) {
        if (t instanceof IOException io) {
            return io;
        }
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error er) {
            throw er;
        }
        throw new IllegalStateException("the read-ahead thread failed", t); // read() throws nothing else
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        // The thread waits for a free batch, reads one, or is done: a free batch (or an interrupt while it
        // waits) lets it see the flag. It is never interrupted inside in.read (that would close a FileChannel).
        free.offer(new SplatBatch(in.info().layout(), 1));
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
