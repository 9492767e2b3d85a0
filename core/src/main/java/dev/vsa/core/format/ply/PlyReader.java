package dev.vsa.core.format.ply;

import dev.vsa.core.error.ErrorCode;
import dev.vsa.core.error.MalformedInputException;
import dev.vsa.core.format.ChannelIo;
import dev.vsa.core.format.PlyRows;
import dev.vsa.core.format.util.BatchChecks;
import dev.vsa.core.splat.SplatBatch;
import dev.vsa.core.splat.SplatFileInfo;
import dev.vsa.core.splat.SplatFormat;
import dev.vsa.core.splat.SplatLayout;
import dev.vsa.core.splat.SplatReader;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the {@code vertex} element of a 3DGS PLY (ascii or binary, any scalar property types) into the splat
 * model. Elements before {@code vertex} are skipped (binary ones must have fixed-size rows); elements after it
 * are ignored. {@code nx ny nz} are dropped; unknown scalar properties become extras. A binary little-endian file
 * of floats without extras (every 3DGS trainer's output) is opened as a {@link FloatRows}, which also gives its rows
 * in PLY's row order from several threads at once.
 */
final class PlyReader implements SplatReader {
    private static final Pattern F_REST = Pattern.compile("f_rest_(\\d+)");
    private static final Map<String, Integer> FIXED = Map.ofEntries(
            Map.entry("x", SplatLayout.X), Map.entry("y", SplatLayout.Y), Map.entry("z", SplatLayout.Z),
            Map.entry("scale_0", SplatLayout.SCALE_0), Map.entry("scale_1", SplatLayout.SCALE_1),
            Map.entry("scale_2", SplatLayout.SCALE_2), Map.entry("rot_0", SplatLayout.ROT_W),
            Map.entry("rot_1", SplatLayout.ROT_X), Map.entry("rot_2", SplatLayout.ROT_Y),
            Map.entry("rot_3", SplatLayout.ROT_Z), Map.entry("opacity", SplatLayout.OPACITY),
            Map.entry("f_dc_0", SplatLayout.DC_0), Map.entry("f_dc_1", SplatLayout.DC_1),
            Map.entry("f_dc_2", SplatLayout.DC_2));
    /** Bytes read from the file at a time. */
    private static final int IO_BYTES = 1 << 20;

    private final FileChannel ch;
    private final SplatFileInfo info;
    private final PlyElement vertex;
    private final boolean binary;
    private final boolean bigEndian;
    private final int rowSize;
    /** Per vertex property: the row column it goes to, or -1 to drop it. */
    private final int[] dest;
    private final PlyType[] types;
    private final int[] offsets;
    /** True when every property is a little-endian float: the fast path. */
    private final boolean allFloatLe;
    /** Fast path: per used property, its float index within a file row, and its row column. */
    private final int[] usedSrc;
    private final int[] usedDest;
    /** General binary path: bytes of whole rows. */
    private final byte[] io;
    /**
     * Fast path: whole rows read by the OS straight into native memory, and the same bytes as floats; made at the
     * first {@link #read} (a conversion through {@link FloatRows#readPly} has buffers of its own).
     */
    private final int ioBytes;
    private ByteBuffer direct;
    private FloatBuffer directFloats;
    private float[] fileRows;
    /** Fast path when the used columns form long runs: {@link #runs}; else null. */
    private final int[] runFrom, runTo, runLen;
    private final AsciiTokens ascii;
    /** Where the vertex rows start. */
    private final long dataStart;
    private long position;
    private long done;

    private PlyReader(FileChannel ch, long fileSize, PlyHeader header) throws IOException {
        this.ch = ch;
        this.binary = header.binary();
        this.bigEndian = header.bigEndian();
        long offset = header.dataOffset();
        PlyElement found = null;
        AsciiTokens tokens = binary ? null : new AsciiTokens(ch, offset);
        for (PlyElement e : header.elements()) {
            if (e.name().equals("vertex")) {
                found = e;
                break;
            }
            if (binary) {
                int rs = e.rowSize();
                if (rs < 0) {
                    throw new MalformedInputException(ErrorCode.UNSUPPORTED_FEATURE, "element " + e.name(),
                            "binary element '" + e.name() + "' before 'vertex' has list properties; vsa cannot skip it");
                }
                long bytes = e.count() * rs;
                if (bytes > fileSize - offset) {
                    throw MalformedInputException.atByte(ErrorCode.PLY_TRUNCATED, offset, "element '" + e.name()
                            + "' declares " + e.count() + " rows of " + rs + " bytes but only " + (fileSize - offset)
                            + " bytes follow");
                }
                offset += bytes;
            } else {
                for (long i = 0; i < e.count(); i++) {
                    if (!tokens.skipLine()) {
                        throw new MalformedInputException(ErrorCode.PLY_TRUNCATED, "element " + e.name() + " row " + i,
                                "the file ends inside element '" + e.name() + "'");
                    }
                }
            }
        }
        if (found == null) {
            throw new MalformedInputException(ErrorCode.PLY_BAD_HEADER, null, "the PLY has no 'vertex' element");
        }
        this.vertex = found;
        this.ascii = tokens;
        List<PlyProperty> props = vertex.properties();
        int n = props.size();
        dest = new int[n];
        types = new PlyType[n];
        offsets = new int[n];
        int restFound = 0;
        int maxRest = -1;
        List<String> extras = new ArrayList<>();
        boolean[] fixedSeen = new boolean[SplatLayout.REST];
        int off = 0;
        for (int i = 0; i < n; i++) {
            PlyProperty p = props.get(i);
            if (p.isList()) {
                throw new MalformedInputException(ErrorCode.PLY_BAD_PROPERTY_TYPE, "element vertex, property " + p.name(),
                        "vertex property '" + p.name() + "' is a list; splat properties are scalars");
            }
            types[i] = p.type();
            offsets[i] = off;
            off += p.type().size;
            Integer fixed = FIXED.get(p.name());
            Matcher m = F_REST.matcher(p.name());
            if (fixed != null) {
                dest[i] = fixed;
                fixedSeen[fixed] = true;
            } else if (m.matches()) {
                restFound++;
                int k = m.group(1).length() > 3 ? Integer.MAX_VALUE : Integer.parseInt(m.group(1));
                maxRest = Math.max(maxRest, k);
                dest[i] = -2 - k; // resolved below, once the degree is known
            } else if (p.name().equals("nx") || p.name().equals("ny") || p.name().equals("nz")) {
                dest[i] = -1;
            } else {
                dest[i] = -100_000 - extras.size();
                extras.add(p.name());
            }
        }
        List<String> missing = new ArrayList<>();
        for (int c = 0; c < SplatLayout.REST; c++) {
            if (!fixedSeen[c]) {
                missing.add(SplatLayout.FIXED_NAMES.get(c));
            }
        }
        if (!missing.isEmpty()) {
            throw new MalformedInputException(ErrorCode.PLY_MISSING_PROPERTY, "element vertex",
                    "the vertex element lacks " + String.join(", ", missing) + " (not a 3DGS splat PLY?)");
        }
        int degree = switch (restFound) {
            case 0 -> 0;
            case 9 -> 1;
            case 24 -> 2;
            case 45 -> 3;
            default -> throw new MalformedInputException(ErrorCode.PLY_BAD_SH_LAYOUT, "element vertex",
                    restFound + " f_rest_* properties; whole SH degrees need 0, 9, 24 or 45");
        };
        if (restFound > 0 && maxRest != restFound - 1) {
            throw new MalformedInputException(ErrorCode.PLY_BAD_SH_LAYOUT, "element vertex",
                    "f_rest_* properties are not numbered 0.." + (restFound - 1));
        }
        SplatLayout layout = new SplatLayout(degree, extras);
        for (int i = 0; i < n; i++) {
            if (dest[i] <= -100_000) {
                dest[i] = layout.extrasOffset() + (-100_000 - dest[i]);
            } else if (dest[i] <= -2) {
                dest[i] = SplatLayout.REST + (-2 - dest[i]);
            }
        }
        rowSize = off;
        boolean floats = binary && !bigEndian;
        int used = 0;
        for (int i = 0; i < n; i++) {
            floats &= types[i] == PlyType.FLOAT;
            if (dest[i] >= 0) {
                used++;
            }
        }
        allFloatLe = floats;
        usedSrc = new int[used];
        usedDest = new int[used];
        for (int i = 0, u = 0; i < n; i++) {
            if (dest[i] >= 0) {
                usedSrc[u] = offsets[i] / 4;
                usedDest[u++] = dest[i];
            }
        }
        long left = fileSize - offset;
        if (binary) {
            if (vertex.count() > left / Math.max(1, rowSize)) {
                throw MalformedInputException.atByte(ErrorCode.PLY_TRUNCATED, offset, "the header declares "
                        + vertex.count() + " vertices of " + rowSize + " bytes (" + (vertex.count() * rowSize)
                        + " bytes) but only " + left + " bytes follow the header");
            }
            ioBytes = Math.max(rowSize, IO_BYTES / Math.max(1, rowSize) * rowSize);
            if (allFloatLe && rowSize > 0) {
                int[][] r = runs(usedSrc, usedDest);
                boolean longRuns = r[0].length * 4 <= usedSrc.length; // else one arraycopy per few values costs more
                runFrom = longRuns ? r[0] : null;
                runTo = longRuns ? r[1] : null;
                runLen = longRuns ? r[2] : null;
                io = null;
            } else {
                runFrom = runTo = runLen = null;
                io = new byte[ioBytes];
            }
        } else {
            // An ascii row needs at least one character and one separator per value.
            if (vertex.count() > left / (2L * n)) {
                throw MalformedInputException.atByte(ErrorCode.PLY_TRUNCATED, offset, "the header declares "
                        + vertex.count() + " vertices but only " + left + " bytes follow the header");
            }
            ioBytes = 0;
            io = null;
            runFrom = runTo = runLen = null;
        }
        this.position = offset;
        this.dataStart = offset;
        this.info = new SplatFileInfo(SplatFormat.PLY, 0, header.encoding(), vertex.count(), layout, fileSize);
    }

    /** Opens {@code path}, parsing and checking its header. */
    static SplatReader open(Path path) throws IOException {
        return ChannelIo.openReading(path, ch -> {
            PlyReader r = new PlyReader(ch, ch.size(), PlyHeader.read(ch, ch.size()));
            return r.allFloatLe && r.rowSize > 0 && r.info.layout().extras().isEmpty() ? new FloatRows(r) : r;
        });
    }

    /**
     * A binary little-endian PLY of floats and no extras: {@link PlyRows} too. A conversion to PLY or GLB then reads
     * blocks of rows on all cores, each into the writer's own array, with no read-ahead thread and no batch between.
     */
    static final class FloatRows implements SplatReader, PlyRows {
        private final PlyReader in;
        /** Floats per row of {@link #readPly}: x y z, normals, f_dc, f_rest, opacity, scales, rotation. */
        private final int plyStride;
        /** True when the file's columns are already that order (the normals included): one bulk copy a block. */
        private final boolean sameOrder;
        /** Else: the used columns' runs from file rows to PLY rows. */
        private final int[] plyFrom, plyTo, plyLen;
        /** Native read buffers, one per thread reading at a time. */
        private final ConcurrentLinkedQueue<Rows> free = new ConcurrentLinkedQueue<>();

        private FloatRows(PlyReader r) {
            in = r;
            int rest = r.info.layout().restCount();
            plyStride = 17 + rest;
            int cols = r.rowSize / 4;
            int[] to = new int[r.usedDest.length];
            boolean same = cols == plyStride;
            for (int u = 0; u < to.length; u++) {
                int d = r.usedDest[u];
                to[u] = d <= SplatLayout.Z ? d
                        : d <= SplatLayout.SCALE_2 ? 10 + rest + d - SplatLayout.SCALE_0
                        : d <= SplatLayout.ROT_Z ? 13 + rest + d - SplatLayout.ROT_W
                        : d == SplatLayout.OPACITY ? 9 + rest
                        : d <= SplatLayout.DC_2 ? 6 + d - SplatLayout.DC_0
                        : 9 + d - SplatLayout.REST;
                same &= to[u] == r.usedSrc[u];
            }
            sameOrder = same; // the three columns left over are then the dropped normals
            int[][] runs = runs(r.usedSrc, to);
            plyFrom = runs[0];
            plyTo = runs[1];
            plyLen = runs[2];
        }

        /** One thread's read buffer, and the file's rows as floats when they need placing. */
        private record Rows(ByteBuffer bytes, FloatBuffer floats, float[] file) {
        }

        @Override
        public SplatFileInfo info() {
            return in.info;
        }

        @Override
        public int read(SplatBatch batch) throws IOException {
            return in.read(batch);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }

        @Override
        public void readPly(long first, int n, float[] rows) throws IOException {
            long count = in.info.count();
            if (first < 0 || n < 0 || first > count - n) {
                throw new IndexOutOfBoundsException("rows " + first + " + " + n + " of " + count);
            }
            int bytes = n * in.rowSize;
            Rows b = free.poll();
            if (b == null || b.bytes.capacity() < bytes) {
                ByteBuffer bb = ByteBuffer.allocateDirect(bytes).order(ByteOrder.LITTLE_ENDIAN);
                b = new Rows(bb, bb.asFloatBuffer(), sameOrder ? null : new float[bytes / 4]);
            }
            try {
                b.bytes.clear().limit(bytes);
                ChannelIo.readFully(in.ch, b.bytes, in.dataStart + first * in.rowSize, ErrorCode.PLY_TRUNCATED);
                if (sameOrder) {
                    b.floats.get(0, rows, 0, n * plyStride);
                } else {
                    b.floats.get(0, b.file, 0, bytes / 4);
                    placeRuns(b.file, in.rowSize / 4, plyFrom, plyTo, plyLen, n, rows, 0, plyStride);
                }
                for (int r = 0, o = 3; r < n; r++, o += plyStride) {
                    rows[o] = 0;
                    rows[o + 1] = 0;
                    rows[o + 2] = 0;
                }
                normalizeRotations(rows, plyStride - 4, plyStride, n);
            } finally {
                free.offer(b);
            }
        }
    }

    @Override
    public SplatFileInfo info() {
        return info;
    }

    @Override
    public int read(SplatBatch batch) throws IOException {
        int rows = BatchChecks.rowsToRead(info.layout(), batch, vertex.count() - done);
        if (rows == 0) {
            return 0;
        }
        if (binary) {
            readBinary(batch, rows);
        } else {
            readAscii(batch, rows);
        }
        if (!allFloatLe) {
            normalizeRotations(batch.array(), SplatLayout.ROT_W, batch.stride(), rows);
        }
        done += rows;
        batch.setSize(rows);
        return rows;
    }

    private void readBinary(SplatBatch batch, int rows) throws IOException {
        if (allFloatLe) {
            readFloatLe(batch, rows);
            return;
        }
        int perRead = io.length / rowSize;
        float[] out = batch.array();
        int stride = batch.stride();
        for (int r0 = 0; r0 < rows; r0 += perRead) {
            int n = Math.min(perRead, rows - r0);
            ByteBuffer bb = ByteBuffer.wrap(io, 0, n * rowSize);
            ChannelIo.readFully(ch, bb, position, ErrorCode.PLY_TRUNCATED);
            position += (long) n * rowSize;
            decodeAny(io, n, out, r0 * stride, stride);
        }
    }

    /**
     * Rows of little-endian floats only (every 3DGS trainer's output): the OS reads into native memory (no copy
     * through a temporary buffer), one bulk copy makes floats of them, and a plain array loop places each column;
     * no per-value VarHandle call, which is slow until the JIT has compiled it, and a conversion is over by then.
     */
    private void readFloatLe(SplatBatch batch, int rows) throws IOException {
        if (direct == null) {
            direct = ByteBuffer.allocateDirect(ioBytes).order(ByteOrder.LITTLE_ENDIAN);
            directFloats = direct.asFloatBuffer();
            fileRows = new float[ioBytes / 4];
        }
        int perRead = direct.capacity() / rowSize;
        int cols = rowSize / 4;
        float[] out = batch.array();
        int stride = batch.stride();
        for (int r0 = 0; r0 < rows; r0 += perRead) {
            int n = Math.min(perRead, rows - r0);
            direct.clear().limit(n * rowSize);
            ChannelIo.readFully(ch, direct, position, ErrorCode.PLY_TRUNCATED);
            position += (long) n * rowSize;
            directFloats.get(0, fileRows, 0, n * cols);
            if (runFrom != null) {
                placeRuns(fileRows, cols, runFrom, runTo, runLen, n, out, r0 * stride, stride);
            } else {
                placeColumns(fileRows, cols, usedSrc, n, out, r0 * stride, stride, usedDest);
            }
            normalizeRotations(out, r0 * stride + SplatLayout.ROT_W, stride, n); // while the rows are in cache
        }
    }

    /**
     * The copies {@code from[u] -> to[u]} (in file order) merged into runs of consecutive floats: {from, to, length}.
     * The standard 3DGS layout has four (x y z; f_dc and f_rest; opacity; scales and rotation).
     */
    static int[][] runs(int[] from, int[] to) {
        int[] f = new int[from.length], t = new int[from.length], l = new int[from.length];
        int k = 0;
        for (int u = 0; u < from.length; u++) {
            if (k > 0 && f[k - 1] + l[k - 1] == from[u] && t[k - 1] + l[k - 1] == to[u]) {
                l[k - 1]++;
            } else {
                f[k] = from[u];
                t[k] = to[u];
                l[k++] = 1;
            }
        }
        return new int[][] {Arrays.copyOf(f, k), Arrays.copyOf(t, k), Arrays.copyOf(l, k)};
    }

    /** {@link #placeColumns} by runs: one array copy per run of consecutive columns. */
    static void placeRuns(float[] src, int cols, int[] from, int[] to, int[] len, int n, float[] out, int base, int stride) {
        int runs = from.length;
        for (int r = 0, s = 0, o = base; r < n; r++, s += cols, o += stride) {
            for (int k = 0; k < runs; k++) {
                System.arraycopy(src, s + from[k], out, o + to[k], len[k]);
            }
        }
    }

    /** Copies, for each of {@code n} rows, {@code src[r * cols + from[k]]} to {@code out[base + r * stride + to[k]]}. */
    static void placeColumns(float[] src, int cols, int[] from, int n, float[] out, int base, int stride, int[] to) {
        int used = from.length;
        for (int r = 0, s = 0, o = base; r < n; r++, s += cols, o += stride) {
            for (int k = 0; k < used; k++) {
                out[o + to[k]] = src[s + from[k]];
            }
        }
    }

    private void decodeAny(byte[] src, int n, float[] out, int outBase, int stride) {
        for (int r = 0; r < n; r++) {
            int s = r * rowSize;
            int o = outBase + r * stride;
            for (int k = 0; k < dest.length; k++) {
                if (dest[k] >= 0) {
                    out[o + dest[k]] = Bytes.read(src, s + offsets[k], types[k], bigEndian);
                }
            }
        }
    }

    private void readAscii(SplatBatch batch, int rows) throws IOException {
        float[] out = batch.array();
        int stride = batch.stride();
        List<PlyProperty> props = vertex.properties();
        for (int r = 0; r < rows; r++) {
            int o = r * stride;
            long index = done + r;
            for (int k = 0; k < dest.length; k++) {
                double v = ascii.nextNumber(index, props.get(k).name());
                if (dest[k] >= 0) {
                    out[o + dest[k]] = (float) v;
                }
            }
        }
    }

    /** Scales rows' rotations (w x y z) to unit length, for {@code rows} rows, the first's at {@code at}. */
    static void normalizeRotations(float[] a, int at, int stride, int rows) {
        for (int r = 0; r < rows; r++) {
            int o = at + r * stride;
            float w = a[o], x = a[o + 1], y = a[o + 2], z = a[o + 3];
            float n2 = w * w + x * x + y * y + z * z;
            if (n2 > 0 && n2 != 1f && n2 < Float.POSITIVE_INFINITY) { // (NaN fails n2 > 0)
                float inv = (float) (1.0 / Math.sqrt(n2));
                a[o] = w * inv;
                a[o + 1] = x * inv;
                a[o + 2] = y * inv;
                a[o + 3] = z * inv;
            }
        }
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }
}
