package dev.vsa.core.format.util;

/**
 * Morton (Z-order) sort keys of splat positions: the code of the position (as many bits an axis, up to 21, as the
 * row index leaves, over a bounding box) above the row index, so keys are unique and ties keep input order. One
 * definition for the {@code sort} transform and the compressed PLY writer, which must give the same order.
 */
public final class MortonKeys {
    private final int indexBits;
    private final double cells;
    private final double[] min = new double[3];
    private final double[] scale = new double[3];

    /** Keys for {@code count} rows whose finite positions lie in {@code [lo, hi]} (x, y, z each). */
    public MortonKeys(long count, double[] lo, double[] hi) {
        indexBits = Math.max(1, 64 - Long.numberOfLeadingZeros(Math.max(1, count - 1)));
        cells = (1L << Math.min(21, (63 - indexBits) / 3)) - 1;
        for (int k = 0; k < 3; k++) {
            double extent = hi[k] - lo[k];
            min[k] = lo[k];
            scale[k] = extent > 0 ? cells / extent : 0;
        }
    }

    /** The mask that takes a key's row index. */
    public long indexMask() {
        return (1L << indexBits) - 1;
    }

    /** The key of row {@code i} at {@code (x, y, z)}; a non-finite coordinate counts as the box's low end. */
    public long key(double x, double y, double z, long i) {
        return (spread(cell(x, 0)) | spread(cell(y, 1)) << 1 | spread(cell(z, 2)) << 2) << indexBits | i;
    }

    private long cell(double v, int k) {
        return Double.isFinite(v) ? (long) Math.max(0, Math.min(cells, (v - min[k]) * scale[k])) : 0;
    }

    /** Spreads the low 21 bits of {@code v} to every third bit. */
    private static long spread(long v) {
        long x = v & 0x1FFFFFL;
        x = (x | x << 32) & 0x1F00000000FFFFL;
        x = (x | x << 16) & 0x1F0000FF0000FFL;
        x = (x | x << 8) & 0x100F00F00F00F00FL;
        x = (x | x << 4) & 0x10C30C30C30C30C3L;
        x = (x | x << 2) & 0x1249249249249249L;
        return x;
    }
}
