package dev.vsa.cli.batch;

/**
 * Bounds the memory all parallel conversions hold at once: a job reserves its estimate before it starts and
 * releases it when done; a job larger than the whole budget waits until it can run alone.
 */
public final class MemoryBudget {
    private final long total;
    private long free;

    /** A budget of {@code total} bytes. */
    public MemoryBudget(long total) {
        if (total <= 0) {
            throw new IllegalArgumentException("budget must be > 0, was " + total);
        }
        this.total = total;
        this.free = total;
    }

    /** Reserves {@code bytes} (capped at the whole budget), waiting while others hold too much. Returns the amount held. */
    public synchronized long acquire(long bytes) throws InterruptedException {
        long want = Math.max(0, Math.min(bytes, total));
        while (free < want) {
            wait();
        }
        free -= want;
        return want;
    }

    /** Gives back what {@link #acquire} returned. */
    public synchronized void release(long held) {
        free += held;
        notifyAll();
    }

    /** The whole budget. */
    public long total() {
        return total;
    }

    /**
     * What converting a file may hold at once: its splats as floats, twice (a writer such as SPZ's keeps a whole
     * column set), plus buffers. Read from the header; a file whose header cannot be read is charged its size.
     */
    public static long estimate(java.nio.file.Path file) {
        try (dev.vsa.core.splat.SplatReader r = dev.vsa.core.splat.Splats.open(file)) {
            return r.info().count() * r.info().layout().stride() * 4L * 2 + (16L << 20);
        } catch (java.io.IOException | RuntimeException e) {
            try {
                return java.nio.file.Files.size(file) + (16L << 20);
            } catch (java.io.IOException io) {
                return 16L << 20;
            }
        }
    }
}
