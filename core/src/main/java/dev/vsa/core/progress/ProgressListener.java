package dev.vsa.core.progress;

/**
 * Told how far a long operation has got. Called from the working thread; keep it cheap. core never prints
 * progress itself: the CLI draws bars, workers store percentages.
 */
@FunctionalInterface
public interface ProgressListener {
    /** A listener that ignores everything. */
    ProgressListener NONE = (done, total) -> { };

    /**
     * @param done  units done so far (splats, bytes, ...)
     * @param total units in all, or -1 when unknown
     */
    void progress(long done, long total);
}
