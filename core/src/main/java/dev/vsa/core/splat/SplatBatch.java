package dev.vsa.core.splat;

/**
 * A reusable block of splat rows, {@link SplatLayout#stride()} floats per splat, row-major in one array.
 * Readers fill it, transforms edit it in place, writers drain it: data moves through a conversion in
 * fixed-size blocks, so memory does not grow with the file.
 *
 * <p>Not thread-safe. Example:
 * <pre>{@code
 * SplatBatch batch = new SplatBatch(reader.info().layout(), 65536);
 * while (reader.read(batch) > 0) {
 *     float firstX = batch.get(0, SplatLayout.X);
 *     writer.write(batch);
 * }
 * }</pre>
 */
public final class SplatBatch {
    /** Rows a batch holds unless told otherwise. */
    public static final int DEFAULT_CAPACITY = 16_384;

    /**
     * The capacity for reading a source that declares {@code count} rows: {@link #DEFAULT_CAPACITY}, or fewer when
     * the source has fewer (at least 1), so a small file does not cost a batch sized for a large one (with SH
     * that is MBs: the collector handles arrays of half a heap region or more as humongous, a costly special case).
     * A negative {@code count} (not declared) gives the default.
     */
    public static int capacityFor(long count) {
        return count < 0 ? DEFAULT_CAPACITY : (int) Math.max(1, Math.min(DEFAULT_CAPACITY, count));
    }

    private final SplatLayout layout;
    private final int stride;
    private float[] data;
    private final int capacity;
    private int size;

    /**
     * A batch of {@code capacity} rows of {@code layout}, initially empty.
     *
     * @throws IllegalArgumentException if {@code capacity < 1} or the batch would exceed 2^31 floats
     */
    public SplatBatch(SplatLayout layout, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
        }
        long floats = (long) layout.stride() * capacity;
        if (floats > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("batch of " + capacity + " rows is too large");
        }
        this.layout = layout;
        this.stride = layout.stride();
        this.capacity = capacity;
        this.data = new float[(int) floats];
    }

    /** The layout of every row. */
    public SplatLayout layout() {
        return layout;
    }

    /** Floats per row ({@link SplatLayout#stride()}). */
    public int stride() {
        return stride;
    }

    /** Rows the batch can hold. */
    public int capacity() {
        return capacity;
    }

    /** Rows currently filled. */
    public int size() {
        return size;
    }

    /**
     * @throws IllegalArgumentException if {@code size} is outside 0..capacity
     */
    public void setSize(int size) {
        if (size < 0 || size > capacity) {
            throw new IllegalArgumentException("size must be 0.." + capacity + ", was " + size);
        }
        this.size = size;
    }

    /**
     * Exchanges the rows (array and size) of two batches of the same layout and capacity: {@link PrefetchReader}
     * hands over a batch it read ahead without copying it. The caller's earlier {@link #array()} is then the other
     * batch's: read it again after each read (as readers and writers do).
     */
    void swapRows(SplatBatch other) {
        if (other.capacity != capacity || !other.layout.equals(layout)) {
            throw new IllegalArgumentException("batches differ in layout or capacity");
        }
        float[] d = data;
        data = other.data;
        other.data = d;
        int n = size;
        size = other.size;
        other.size = n;
    }

    /** The backing array: row {@code i} starts at {@code i * stride()}. For codecs' tight loops. */
    public float[] array() {
        return data;
    }

    /**
     * The value of {@code column} (a {@link SplatLayout} index such as {@link SplatLayout#X}) in {@code row}.
     *
     * @throws ArrayIndexOutOfBoundsException if the row lies beyond the capacity
     */
    public float get(int row, int column) {
        return data[row * stride + column];
    }

    /**
     * Sets the value of {@code column} in {@code row}.
     *
     * @throws ArrayIndexOutOfBoundsException if the row lies beyond the capacity
     */
    public void set(int row, int column, float value) {
        data[row * stride + column] = value;
    }

    /** Copies row {@code from} over row {@code to} (used by filters that compact in place). */
    public void copyRow(int from, int to) {
        if (from != to) {
            System.arraycopy(data, from * stride, data, to * stride, stride);
        }
    }
}
