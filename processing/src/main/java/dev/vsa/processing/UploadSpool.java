package dev.vsa.processing;

import dev.vsa.processing.internal.FileTrees;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.io.UncheckedIOException;
import java.util.stream.Stream;

/**
 * A private directory for one upload's incoming files (an HTTP server's multipart parser writes them here), under
 * {@link SceneService#stagingDirectory()}. When the store keeps objects on local disk these files become the
 * stored objects (by rename), so the spool also makes them durable as they arrive: a background thread flushes
 * each file to disk every {@link #BYTES_PER_SYNC} bytes it grows (write-behind, as RocksDB's
 * {@code bytes_per_sync}), and {@link #sync()} flushes the rest once the body is in. The disk then writes while
 * the network still reads, instead of after it, and an upload acknowledged is an upload on disk.
 * {@link #close()} deletes whatever is left.
 */
public final class UploadSpool implements AutoCloseable {
    /** Flush after this many new bytes: large enough that a flush is worth its system call, small enough to overlap. */
    static final long BYTES_PER_SYNC = 32L << 20;
    private static final long POLL_MILLIS = 20;

    private final Path dir;
    private final Thread flusher;
    /** Bytes of each file flushed so far; the flusher thread's own (sync() reads it only after joining it). */
    private final Map<Path, Long> synced = new HashMap<>();
    private volatile boolean stop;
    private volatile int flushedAhead;

    UploadSpool(Path dir, boolean durable) {
        this.dir = dir;
        this.flusher = durable ? Thread.ofPlatform().daemon().name("vsa-upload-sync").start(this::flushWhileOpen) : null;
    }

    /** How many flushes the background thread has made while files grew (tests check write-behind happens). */
    int flushedAhead() {
        return flushedAhead;
    }

    /** The directory to write this upload's files into. */
    public Path dir() {
        return dir;
    }

    /**
     * Stops the background flushing and flushes what it has not (nothing when the store is not on local disk).
     * Call once the request body has been read.
     *
     * @throws IOException if a file cannot be flushed
     */
    public void sync() throws IOException {
        if (flusher == null) {
            return;
        }
        stop = true;
        try {
            flusher.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while flushing an upload");
        }
        for (Path f : files()) {
            force(f);
        }
    }

    /** Stops flushing and deletes the directory with what is still in it. */
    @Override
    public void close() {
        stop = true;
        if (flusher != null) {
            flusher.interrupt();
        }
        FileTrees.deleteTree(dir);
    }

    private void flushWhileOpen() {
        try {
            while (!stop) {
                for (Path f : files()) {
                    long size = sizeOrZero(f);
                    if (size - synced.getOrDefault(f, 0L) >= BYTES_PER_SYNC) {
                        force(f);
                        synced.put(f, size);
                        flushedAhead++;
                    }
                }
                Thread.sleep(POLL_MILLIS);
            }
        } catch (InterruptedException | IOException | UncheckedIOException e) {
            // closed, or the directory is unreadable: sync() flushes what is left
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
}
