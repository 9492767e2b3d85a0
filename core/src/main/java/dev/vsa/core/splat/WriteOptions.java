package dev.vsa.core.splat;

/**
 * Format-specific choices for writing. Unused fields are ignored by formats they do not concern.
 *
 * <pre>{@code
 * WriteOptions v3 = new WriteOptions(3);
 * WriteOptions sized = WriteOptions.DEFAULTS.withExpectedCount(reader.info().count());
 * WriteOptions smallest = WriteOptions.DEFAULTS.withKsplatLevel(2);
 * WriteOptions sorted = WriteOptions.DEFAULTS.withMortonOrder(true);
 * }</pre>
 *
 * @param spzVersion    SPZ version to write: 3 (gzip) or 4 (zstd, the default)
 * @param expectedCount the number of splats that will be written, or -1 when not known (the default). A writer
 *                      may use it to lay out its file ahead (GLB writes each accessor straight to its place);
 *                      writing fewer splats still gives a correct file, writing more fails
 * @param ksplatLevel   GaussianSplats3D {@code .ksplat} compression level: 0 (float32), 1 (positions as 16-bit offsets
 *                      in 5-unit buckets, the rest half floats; the default) or 2 (as 1, SH in 8 bits)
 * @param mortonOrder   whether the writer orders the rows along a Morton curve of their positions itself (compressed
 *                      PLY, whose chunks quantize against their own bounds; {@link Splats#convert} asks for it) rather
 *                      than keeping the order given (the default). Formats that do not sort ignore it
 * @param frame         the axis frame the rows are in when written (see {@link dev.vsa.core.transform.Transform.Frame}),
 *                      or null for vsa's model frame, RDF (the default). A format that declares its frame writes this
 *                      one (SPZ v4's coordinate-system record); {@link Splats#convert} sets it from the last frame step
 */
public record WriteOptions(int spzVersion, long expectedCount, int ksplatLevel, boolean mortonOrder, String frame) {
    /** The defaults: SPZ v4, count not known, ksplat level 1. */
    public static final WriteOptions DEFAULTS = new WriteOptions(4);

    /**
     * @throws IllegalArgumentException if {@code spzVersion} is not 3 or 4, {@code expectedCount < -1}, or
     *                                  {@code ksplatLevel} is not 0, 1 or 2
     */
    public WriteOptions {
        if (ksplatLevel < 0 || ksplatLevel > 2) {
            throw new IllegalArgumentException("ksplatLevel must be 0, 1 or 2, was " + ksplatLevel);
        }
        if (spzVersion != 3 && spzVersion != 4) {
            throw new IllegalArgumentException("spzVersion must be 3 or 4, was " + spzVersion);
        }
        if (expectedCount < -1) {
            throw new IllegalArgumentException("expectedCount must be >= 0, or -1 for unknown, was " + expectedCount);
        }
    }

    /**
     * Options in vsa's model frame (RDF).
     *
     * @throws IllegalArgumentException as the canonical constructor
     */
    public WriteOptions(int spzVersion, long expectedCount, int ksplatLevel, boolean mortonOrder) {
        this(spzVersion, expectedCount, ksplatLevel, mortonOrder, null);
    }

    /**
     * Options with the given SPZ version and no expected count.
     *
     * @throws IllegalArgumentException if {@code spzVersion} is not 3 or 4
     */
    public WriteOptions(int spzVersion) {
        this(spzVersion, -1, 1);
    }

    /**
     * Options with the given SPZ version and expected count, ksplat level 1.
     *
     * @throws IllegalArgumentException if {@code spzVersion} is not 3 or 4, or {@code expectedCount < -1}
     */
    public WriteOptions(int spzVersion, long expectedCount) {
        this(spzVersion, expectedCount, 1);
    }

    /**
     * Options with the given SPZ version, expected count and ksplat level, rows in the order given.
     *
     * @throws IllegalArgumentException as the canonical constructor
     */
    public WriteOptions(int spzVersion, long expectedCount, int ksplatLevel) {
        this(spzVersion, expectedCount, ksplatLevel, false);
    }

    /**
     * These options with the number of splats that will be written (-1: not known).
     *
     * @throws IllegalArgumentException if {@code expectedCount < -1}
     */
    public WriteOptions withExpectedCount(long expectedCount) {
        return new WriteOptions(spzVersion, expectedCount, ksplatLevel, mortonOrder, frame);
    }

    /**
     * These options with another {@code .ksplat} compression level.
     *
     * @throws IllegalArgumentException if {@code level} is not 0, 1 or 2
     */
    public WriteOptions withKsplatLevel(int level) {
        return new WriteOptions(spzVersion, expectedCount, level, mortonOrder, frame);
    }

    /** These options with the rows ordered along a Morton curve by the writer ({@code true}), or kept in order. */
    public WriteOptions withMortonOrder(boolean sort) {
        return new WriteOptions(spzVersion, expectedCount, ksplatLevel, sort, frame);
    }

    /** These options with the rows written in {@code frame} (a frame name; null for RDF, vsa's model frame). */
    public WriteOptions withFrame(String frame) {
        return new WriteOptions(spzVersion, expectedCount, ksplatLevel, mortonOrder, frame);
    }
}
