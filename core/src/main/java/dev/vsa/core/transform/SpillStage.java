package dev.vsa.core.transform;

import dev.vsa.core.error.ErrorCode;
import dev.vsa.core.error.MalformedInputException;
import dev.vsa.core.splat.SplatBatch;
import dev.vsa.core.splat.SplatFileInfo;
import dev.vsa.core.splat.SplatReader;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import dev.vsa.core.format.util.MortonKeys;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A step that needs every row first (Morton sort, decimation to a count after a filter): drains its upstream
 * into a temporary file of raw floats, then serves rows from it. Heap use is one batch plus, for sorting,
 * 8 bytes a splat (the sort keys); the rows themselves stay in the file (memory-mapped, so the OS pages them).
 */
final class SpillStage implements SplatReader {
    enum Kind { MORTON, DECIMATE }

    private static final int IO_FLOATS = 1 << 18;
    private static final long SEGMENT_BYTES = 1L << 30;

    private final SplatReader up;
    private final Kind kind;
    private final long keep;
    private final Path dir;
    private final int stride;
    private SplatFileInfo info;
    private FileChannel spill;
    private long rows;
    private final double[] min = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY};
    private final double[] max = {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
    private ByteBuffer io;
    private FloatBuffer ioFloats;
    // sort state
    private FloatBuffer[] segments;
    private long rowsPerSegment;
    private long[] keys;
    private long idxMask;
    // output cursor
    private long next;
    private long readPos;

    SpillStage(SplatReader up, Kind kind, long keep, Path dir) {
        this.up = up;
        this.kind = kind;
        this.keep = keep;
        this.dir = dir;
        SplatFileInfo u = up.info();
        this.stride = u.layout().stride();
        long count = kind == Kind.MORTON ? u.count() : u.count() < 0 ? -1 : Math.min(keep, u.count());
        this.info = new SplatFileInfo(u.format(), u.version(), u.variant(), count, u.layout(), u.fileSize());
    }

    @Override
    public SplatFileInfo info() {
        return info;
    }

    private void drain(int capacity) throws IOException {
        Path file = Files.createTempFile(dir, ".vsa-spill-", ".tmp");
        spill = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.DELETE_ON_CLOSE);
        io = ByteBuffer.allocateDirect(IO_FLOATS * 4).order(ByteOrder.nativeOrder());
        ioFloats = io.asFloatBuffer();
        SplatBatch batch = new SplatBatch(up.info().layout(), capacity);
        int n;
        while ((n = up.read(batch)) > 0) {
            float[] a = batch.array();
            if (kind == Kind.MORTON) {
                for (int r = 0, o = 0; r < n; r++, o += stride) {
                    for (int k = 0; k < 3; k++) {
                        float v = a[o + k];
                        if (Float.isFinite(v)) {
                            min[k] = Math.min(min[k], v);
                            max[k] = Math.max(max[k], v);
                        }
                    }
                }
            }
            int total = n * stride;
            for (int off = 0; off < total; off += IO_FLOATS) {
                int len = Math.min(IO_FLOATS, total - off);
                ioFloats.clear();
                ioFloats.put(a, off, len);
                io.clear().limit(len * 4);
                while (io.hasRemaining()) {
                    spill.write(io);
                }
            }
            rows += n;
        }
        long count = kind == Kind.MORTON ? rows : Math.min(keep, rows);
        SplatFileInfo u = info;
        info = new SplatFileInfo(u.format(), u.version(), u.variant(), count, u.layout(), u.fileSize());
        if (kind == Kind.MORTON) {
            sortKeys();
        }
    }

    private void sortKeys() throws IOException {
        if (rows > Integer.MAX_VALUE - 8) {
            throw new MalformedInputException(ErrorCode.LIMIT_EXCEEDED, null, rows + " splats are too many to sort");
        }
        long rowBytes = 4L * stride;
        rowsPerSegment = Math.max(1, SEGMENT_BYTES / rowBytes);
        int nseg = (int) ((rows + rowsPerSegment - 1) / rowsPerSegment);
        segments = new FloatBuffer[nseg];
        for (int s = 0; s < nseg; s++) {
            long first = s * rowsPerSegment;
            long len = Math.min(rowsPerSegment, rows - first) * rowBytes;
            segments[s] = spill.map(FileChannel.MapMode.READ_ONLY, first * rowBytes, len)
                    .order(ByteOrder.nativeOrder()).asFloatBuffer();
        }
        MortonKeys morton = new MortonKeys(rows, min, max);
        idxMask = morton.indexMask();
        keys = new long[(int) rows];
        for (int i = 0; i < rows; i++) {
            FloatBuffer seg = segments[(int) (i / rowsPerSegment)];
            int base = (int) ((i % rowsPerSegment) * stride);
            keys[i] = morton.key(seg.get(base), seg.get(base + 1), seg.get(base + 2), i);
        }
        morton.sort(keys);
    }

    @Override
    public int read(SplatBatch batch) throws IOException {
        if (!batch.layout().equals(info.layout())) {
            throw new IllegalArgumentException("batch layout " + batch.layout() + " is not " + info.layout());
        }
        if (spill == null) {
            drain(batch.capacity());
        }
        float[] b = batch.array();
        int n = 0;
        if (kind == Kind.MORTON) {
            while (n < batch.capacity() && next < rows) {
                long i = keys[(int) next++] & idxMask;
                FloatBuffer seg = segments[(int) (i / rowsPerSegment)];
                seg.get((int) ((i % rowsPerSegment) * stride), b, n * stride, stride);
                n++;
            }
        } else {
            // sequential, keeping evenly strided rows
            while (n < batch.capacity() && next < rows) {
                int want = (int) Math.min(IO_FLOATS / stride, rows - next);
                if (want == 0) {
                    want = 1;
                }
                int fit = Math.min(want, batch.capacity() - n);
                ByteBuffer one = fit * stride <= IO_FLOATS ? io : ByteBuffer.allocateDirect(fit * stride * 4).order(ByteOrder.nativeOrder());
                FloatBuffer f = one == io ? ioFloats : one.asFloatBuffer();
                one.clear().limit(fit * stride * 4);
                while (one.hasRemaining()) {
                    if (spill.read(one, readPos + one.position()) < 0) {
                        throw new IllegalStateException("spill file shorter than written");
                    }
                }
                readPos += (long) fit * stride * 4;
                for (int r = 0; r < fit; r++) {
                    long i = next++;
                    if (keep >= rows || Strides.kept(i, keep, rows)) {
                        f.get(r * stride, b, n * stride, stride);
                        n++;
                    }
                }
            }
        }
        batch.setSize(n);
        return n;
    }

    @Override
    public void close() throws IOException {
        try {
            up.close();
        } finally {
            if (spill != null) {
                spill.close();
            }
            keys = null;
            segments = null;
        }
    }
}
