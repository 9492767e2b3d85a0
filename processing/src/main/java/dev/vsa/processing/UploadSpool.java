package dev.vsa.processing;

import dev.vsa.processing.internal.FileTrees;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * A private directory for one upload's incoming files (an HTTP server's multipart parser writes them here), under
 * {@link SceneService#stagingDirectory()}. When the store keeps objects on local disk these files become the
 * stored objects (by rename), so the spool also makes them durable as they arrive: the process's one
 * {@link Watcher} thread flushes each file to disk every {@link #BYTES_PER_SYNC} bytes it grows (write-behind, as
 * RocksDB's {@code bytes_per_sync}), and {@link #sync()} flushes the rest once the body is in. The disk then writes
 * while the network still reads, instead of after it, and an upload acknowledged is an upload on disk.
 *
 * <p>The same watcher ends uploads that stall: one that adds no byte for the idle timeout, or adds fewer than the
 * minimum rate over that long, is marked {@link #stalled()} and its {@link #onStall stall action} runs (an HTTP
 * server closes the connection, which ends the blocked read of the body; by default the thread that opened the
 * spool is interrupted). {@link #close()} deletes whatever is left.
 */
public final class UploadSpool implements AutoCloseable {
    /** Flush after this many new bytes: large enough that a flush is worth its system call, small enough to overlap. */
    static final long BYTES_PER_SYNC = 32L << 20;

    private final Path dir;
    private final boolean durable;
    private final Watcher watcher;
    private final Runnable onClose;
    private final Thread owner = Thread.currentThread();
    /** Null: interrupt the owner. */
    private volatile Runnable stallAction;
    /** Held by a watcher pass over this spool, and by {@link #sync()} to end them. */
    private final ReentrantLock lock = new ReentrantLock();
    /** Bytes of each file flushed so far (under {@link #lock}). */
    private final Map<Path, Long> synced = new HashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean bodyIn;
    private volatile boolean stalled;
    private volatile int flushedAhead;
    // Progress, the watcher's own (under lock).
    private long lastBytes = -1;
    private long lastChange;
    private long windowStart;
    private long windowStartBytes;

    UploadSpool(Path dir, boolean durable, Watcher watcher, Runnable onClose) {
        this.dir = dir;
        this.durable = durable;
        this.watcher = watcher;
        this.onClose = onClose;
        long now = System.nanoTime();
        this.lastChange = now;
        this.windowStart = now;
        watcher.add(this);
    }

    /** How many flushes the watcher has made while files grew (tests check write-behind happens). */
    int flushedAhead() {
        return flushedAhead;
    }

    /** The directory to write this upload's files into. */
    public Path dir() {
        return dir;
    }

    /**
     * What to do when the upload stalls, instead of interrupting the opener: e.g. close the client's connection,
     * which fails the blocked read of the body (a read that does not answer interrupts needs that).
     */
    public void onStall(Runnable action) {
        this.stallAction = action;
    }

    /** Whether the watcher gave up on this upload as too slow (and ran its stall action). */
    public boolean stalled() {
        return stalled;
    }

    /**
     * Marks the body as received (the watcher stops timing it) and, when the store is on local disk, flushes what
     * the watcher has not. Call once the request body has been read.
     *
     * @throws IOException if a file cannot be flushed
     */
    public void sync() throws IOException {
        lock.lock(); // waits for a watcher pass in progress; none starts after bodyIn
        try {
            bodyIn = true;
            if (stalled && Thread.currentThread() == owner && stallAction == null) {
                Thread.interrupted(); // the body came in as the watcher gave up: it is here, so go on
            }
        } finally {
            lock.unlock();
        }
        watcher.remove(this);
        if (durable) {
            for (Path f : files()) {
                force(f);
            }
        }
    }

    /** Stops watching and deletes the directory with what is still in it. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            bodyIn = true;
            watcher.remove(this);
            try {
                FileTrees.deleteTree(dir);
            } finally {
                onClose.run();
            }
        }
    }

    /** One watcher pass: write-behind flushes, then the idle and minimum-rate checks. */
    private void poll(long now, Duration idle, long minBytesPerSecond) {
        if (!lock.tryLock()) {
            return; // sync() is taking over
        }
        try {
            if (bodyIn || stalled) {
                return;
            }
            long total = 0;
            for (Path f : files()) {
                long size = sizeOrZero(f);
                total += size;
                if (durable && size - synced.getOrDefault(f, 0L) >= BYTES_PER_SYNC) {
                    force(f);
                    synced.put(f, size);
                    flushedAhead++;
                }
            }
            if (total != lastBytes) {
                lastBytes = total;
                lastChange = now;
            }
            long idleNanos = idle.toNanos();
            boolean idleTooLong = now - lastChange >= idleNanos;
            boolean tooSlow = false;
            if (now - windowStart >= idleNanos) {
                tooSlow = minBytesPerSecond > 0 && (total - windowStartBytes) < minBytesPerSecond * idle.toSeconds();
                windowStart = now;
                windowStartBytes = total;
            }
            if (idleTooLong || tooSlow) {
                stalled = true;
                Runnable action = stallAction;
                if (action == null) {
                    owner.interrupt();
                } else {
                    action.run();
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // the directory went away (closed) or is unreadable: sync() flushes what is left
        } finally {
            lock.unlock();
        }
    }

    private static long sizeOrZero(Path f) throws IOException {
        try {
            return Files.size(f);
        } catch (NoSuchFileException gone) {
            return 0; // the parser dropped it between listing and now
        }
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    private static void force(Path f) throws IOException {
        try (FileChannel c = FileChannel.open(f, StandardOpenOption.READ)) {
            c.force(false); // fdatasync works on a read-only descriptor: it flushes the file, not the descriptor
        } catch (NoSuchFileException gone) {
            // a part the parser has already dropped
        }
    }

    /**
     * The one thread of a process that looks after every open spool (instead of a thread per upload): every
     * {@link #POLL} it flushes grown files and times each upload. It runs only while spools are open.
     */
    static final class Watcher {
        static final Duration POLL = Duration.ofMillis(50);

        private final Duration idle;
        private final long minBytesPerSecond;
        private final Set<UploadSpool> spools = ConcurrentHashMap.newKeySet();
        private final ReentrantLock lock = new ReentrantLock();
        private Thread thread;
        private int threadsStarted;

        /**
         * @param idle              an upload adding nothing for this long is stalled; also the rate's window
         * @param minBytesPerSecond below this average over {@code idle}, an upload is stalled (0: no minimum)
         */
        Watcher(Duration idle, long minBytesPerSecond) {
            this.idle = idle;
            this.minBytesPerSecond = minBytesPerSecond;
        }

        /** How many threads it has started so far: one while spools stay open (tests). */
        int threadsStarted() {
            lock.lock();
            try {
                return threadsStarted;
            } finally {
                lock.unlock();
            }
        }

        /** How many spools it watches (tests). */
        int watching() {
            return spools.size();
        }

        private void add(UploadSpool s) {
            spools.add(s);
            lock.lock();
            try {
                if (thread == null) {
                    thread = Thread.ofPlatform().daemon().name("vsa-upload-watcher").start(this::run);
                    threadsStarted++;
                }
            } finally {
                lock.unlock();
            }
        }

        private void remove(UploadSpool s) {
            spools.remove(s);
        }

        private void run() {
            try {
                while (true) {
                    Thread.sleep(POLL);
                    long now = System.nanoTime();
                    for (UploadSpool s : spools) {
                        s.poll(now, idle, minBytesPerSecond);
                    }
                    lock.lock();
                    try {
                        if (spools.isEmpty()) {
                            thread = null; // the next spool starts a new one
                            return;
                        }
                    } finally {
                        lock.unlock();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
