package dev.vsa.core.lod;

/**
 * How {@link LodSets#write} builds a streamed SOG. Defaults follow splat-transform 3.10.2's where it has one.
 *
 * <pre>{@code
 * LodOptions o = LodOptions.DEFAULTS.withLevels(4).withChunking(256 * 1024, 8, 4096);
 * }</pre>
 *
 * @param levels      levels made from one untagged input: 0 chooses (halving until a level holds at most
 *                    {@link #AUTO_COARSEST} splats, at most {@link #MAX_GENERATED} levels), else 1..16. Ignored when
 *                    the inputs carry their own levels
 * @param keep        the fraction of the level above that each generated level keeps, in (0, 1)
 * @param chunkCount  a leaf of the spatial tree holds at most about this many splats (splat-transform's
 *                    {@code --lod-chunk-count}, there in thousands of 1024)
 * @param chunkExtent a leaf wider than this (scene units) is split further...
 * @param chunkMin    ...unless it holds at most this many splats
 * @param fileCount   splats per SOG unit (a unit closes once it passes this); 0 means {@code chunkCount}
 */
public record LodOptions(int levels, double keep, int chunkCount, double chunkExtent, int chunkMin, int fileCount) {
    /** A generated set stops halving once a level holds at most this many splats. */
    public static final int AUTO_COARSEST = 32_768;
    /** Most levels made from one input. */
    public static final int MAX_GENERATED = 16;
    /** Levels chosen, keep 0.5, 512 Ki splats or 16 units a leaf, leaves of at most 8 Ki splats not split for extent. */
    public static final LodOptions DEFAULTS = new LodOptions(0, 0.5, 512 * 1024, 16, 8 * 1024, 0);

    /**
     * @throws IllegalArgumentException naming the value, if one is outside its range
     */
    public LodOptions {
        if (levels < 0 || levels > MAX_GENERATED) {
            throw new IllegalArgumentException("levels must be 0 (choose) or 1.." + MAX_GENERATED + ", was " + levels);
        }
        if (!(keep > 0 && keep < 1)) {
            throw new IllegalArgumentException("keep must be between 0 and 1 (exclusive), was " + keep);
        }
        if (chunkCount < 256) {
            throw new IllegalArgumentException("chunkCount must be >= 256, was " + chunkCount);
        }
        if (!(chunkExtent > 0) || !Double.isFinite(chunkExtent)) {
            throw new IllegalArgumentException("chunkExtent must be a positive number, was " + chunkExtent);
        }
        if (chunkMin < 0) {
            throw new IllegalArgumentException("chunkMin must be >= 0, was " + chunkMin);
        }
        if (fileCount != 0 && fileCount < 256) {
            throw new IllegalArgumentException("fileCount must be 0 (= chunkCount) or >= 256, was " + fileCount);
        }
    }

    /** These options with another number of generated levels (0: choose). */
    public LodOptions withLevels(int n) {
        return new LodOptions(n, keep, chunkCount, chunkExtent, chunkMin, fileCount);
    }

    /** These options with another keep fraction. */
    public LodOptions withKeep(double fraction) {
        return new LodOptions(levels, fraction, chunkCount, chunkExtent, chunkMin, fileCount);
    }

    /** These options with other leaf limits. */
    public LodOptions withChunking(int count, double extent, int min) {
        return new LodOptions(levels, keep, count, extent, min, fileCount);
    }

    /** These options with another unit size (0: the chunk count). */
    public LodOptions withFileCount(int count) {
        return new LodOptions(levels, keep, chunkCount, chunkExtent, chunkMin, count);
    }

    /** Splats per SOG unit. */
    public int unitCount() {
        return fileCount == 0 ? chunkCount : fileCount;
    }
}
