package dev.vsa.core.inspect;

import java.util.List;

/**
 * What one streaming pass over a splat file found. Plain records: Jackson serializes them as they are
 * (values with nothing finite to summarize are null, never NaN).
 *
 * @param format        format id ({@code ply}, {@code spz}, ...), see {@link dev.vsa.core.splat.SplatFormat#id()}
 * @param version       format version (0 when the format has none)
 * @param variant       format detail, e.g. {@code binary_little_endian}; may be empty
 * @param count         splats read
 * @param shDegree      SH degree, 0-3
 * @param bounds        bounding box of the finite positions, or null if there are none
 * @param columns       statistics of every layout column, in layout order
 * @param extras        names of extra per-splat properties
 * @param fileSize      bytes
 * @param bytesPerSplat fileSize / count (0 for an empty file)
 */
public record SplatInspection(String format, int version, String variant, long count, int shDegree, Bounds bounds,
                              List<ColumnStats> columns, List<String> extras, long fileSize, double bytesPerSplat) {
    /** Copies the lists. */
    public SplatInspection {
        columns = List.copyOf(columns);
        extras = List.copyOf(extras);
    }

    /** An axis-aligned box. */
    public record Bounds(double minX, double minY, double minZ, double maxX, double maxY, double maxZ) {
    }

    /**
     * Statistics of one column over its finite values.
     *
     * @param name     column name as a 3DGS PLY names it
     * @param min      smallest finite value, or null if none is finite
     * @param max      largest finite value, or null
     * @param mean     mean of the finite values, or null
     * @param nanCount NaN values
     * @param infCount infinite values
     */
    public record ColumnStats(String name, Double min, Double max, Double mean, long nanCount, long infCount) {
    }
}
