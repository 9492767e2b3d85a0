package dev.vsa.core.format.ply;

import dev.vsa.core.format.ChannelIo;
import dev.vsa.core.splat.SplatBatch;
import dev.vsa.core.splat.SplatLayout;
import dev.vsa.core.splat.SplatWriter;
import dev.vsa.core.format.util.BatchChecks;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Writes a PlayCanvas compressed PLY (layout in {@link CompressedPly}), quantizing rows as they come in
 * chunks of 256. The file's sections (chunks, then vertices, then SH) all need the count in the header, so
 * packed vertex words and SH bytes go to two temporary files beside the output and are copied in by
 * {@link #finish()}; memory stays at one chunk plus 72 bytes of bounds per 256 splats.
 *
 * <p>Rows are written in the order given: sort them spatially first (Morton order, as splat-transform does)
 * for tight chunk bounds; {@code Splats.convert} does that unless told another order.
 */
final class CompressedPlyWriter implements SplatWriter {
    private static final int CHUNK = CompressedPly.CHUNK;

    private final Path path;
    private final SplatLayout layout;
    private final int restCount;
    private final Path vertexTemp;
    private final Path shTemp;
    private final FileChannel vertexCh;
    private final FileChannel shCh;
    /** The pending chunk's rows, in the batch layout. */
    private final float[] pending;
    private int pendingRows;
    private float[] bounds = new float[18 * 64];
    private long chunks;
    private long count;
    private final byte[] vbuf = new byte[CHUNK * 16];
    private final byte[] sbuf;
    private boolean finished;
    private boolean closed;

    CompressedPlyWriter(Path path, SplatLayout layout) throws IOException {
        this.path = path;
        this.layout = layout;
        this.restCount = layout.restCount();
        Path dir = path.toAbsolutePath().getParent();
        String name = path.getFileName().toString();
        this.vertexTemp = Files.createTempFile(dir, "." + name + ".", ".vertex.tmp");
        this.shTemp = restCount > 0 ? Files.createTempFile(dir, "." + name + ".", ".sh.tmp") : null;
        this.vertexCh = FileChannel.open(vertexTemp, StandardOpenOption.WRITE, StandardOpenOption.READ);
        this.shCh = shTemp == null ? null : FileChannel.open(shTemp, StandardOpenOption.WRITE, StandardOpenOption.READ);
        this.pending = new float[CHUNK * layout.stride()];
        this.sbuf = new byte[CHUNK * restCount];
        // Fail early if the output cannot be created.
        Files.newByteChannel(path, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE).close();
    }

    @Override
    public void write(SplatBatch batch) throws IOException {
        BatchChecks.checkWrite(finished || closed, layout, batch);
        int stride = layout.stride();
        float[] a = batch.array();
        int rows = batch.size();
        int r = 0;
        while (r < rows) {
            int n = Math.min(CHUNK - pendingRows, rows - r);
            System.arraycopy(a, r * stride, pending, pendingRows * stride, n * stride);
            pendingRows += n;
            r += n;
            if (pendingRows == CHUNK) {
                flushChunk();
            }
        }
        count += rows;
    }

    private void flushChunk() throws IOException {
        int n = pendingRows;
        if (n == 0) {
            return;
        }
        int stride = layout.stride();
        float[] p = pending;
        if ((chunks + 1) * 18 > bounds.length) {
            bounds = Arrays.copyOf(bounds, bounds.length * 2);
        }
        int b = (int) chunks * 18;
        double[] lo = new double[9];
        double[] hi = new double[9];
        Arrays.fill(lo, Double.POSITIVE_INFINITY);
        Arrays.fill(hi, Double.NEGATIVE_INFINITY);
        for (int r = 0; r < n; r++) {
            int o = r * stride;
            for (int k = 0; k < 9; k++) {
                double v = value(p, o, k);
                if (!Double.isFinite(v) && k < 3 || Double.isNaN(v)) {
                    continue; // one infinite position would make the whole chunk's positions NaN
                }
                if (v < lo[k]) {
                    lo[k] = v;
                }
                if (v > hi[k]) {
                    hi[k] = v;
                }
            }
        }
        for (int k = 0; k < 9; k++) {
            if (lo[k] > hi[k]) { // every value NaN
                lo[k] = 0;
                hi[k] = 0;
            }
            if (k >= 3 && k < 6) { // scale bounds clamped: some files hold infinite log-scales
                lo[k] = Math.max(-20, Math.min(20, lo[k]));
                hi[k] = Math.max(-20, Math.min(20, hi[k]));
            }
        }
        // file order: min xyz, max xyz, min scale, max scale, min rgb, max rgb
        for (int g = 0; g < 3; g++) {
            for (int k = 0; k < 3; k++) {
                bounds[b + g * 6 + k] = (float) lo[g * 3 + k];
                bounds[b + g * 6 + 3 + k] = (float) hi[g * 3 + k];
            }
        }
        // Quantize against the float bounds actually stored, so the reader's lerp matches.
        for (int k = 0; k < 9; k++) {
            int g = k / 3;
            lo[k] = bounds[b + g * 6 + k % 3];
            hi[k] = bounds[b + g * 6 + 3 + k % 3];
        }
        for (int r = 0; r < n; r++) {
            int o = r * stride;
            long pos = pack111011(norm(p[o], lo[0], hi[0]), norm(p[o + 1], lo[1], hi[1]), norm(p[o + 2], lo[2], hi[2]));
            long scl = pack111011(norm(p[o + 3], lo[3], hi[3]), norm(p[o + 4], lo[4], hi[4]), norm(p[o + 5], lo[5], hi[5]));
            double alpha = 1 / (1 + Math.exp(-p[o + SplatLayout.OPACITY]));
            long col = unorm(norm(value(p, o, 6), lo[6], hi[6]), 8) << 24
                    | unorm(norm(value(p, o, 7), lo[7], hi[7]), 8) << 16
                    | unorm(norm(value(p, o, 8), lo[8], hi[8]), 8) << 8
                    | unorm(alpha, 8);
            long rot = packRotation(p, o + SplatLayout.ROT_W);
            int v = r * 16;
            Bytes.INT_LE.set(vbuf, v, (int) pos);
            Bytes.INT_LE.set(vbuf, v + 4, (int) rot);
            Bytes.INT_LE.set(vbuf, v + 8, (int) scl);
            Bytes.INT_LE.set(vbuf, v + 12, (int) col);
            for (int k = 0; k < restCount; k++) {
                double nv = p[o + SplatLayout.REST + k] / 8.0 + 0.5;
                int by = (int) (nv * 256); // truncation, as splat-transform does
                sbuf[r * restCount + k] = (byte) Math.max(0, Math.min(255, by));
            }
        }
        ChannelIo.writeFully(vertexCh, ByteBuffer.wrap(vbuf, 0, n * 16));
        if (shCh != null) {
            ChannelIo.writeFully(shCh, ByteBuffer.wrap(sbuf, 0, n * restCount));
        }
        chunks++;
        pendingRows = 0;
    }

    /** Column group value k: 0..2 position, 3..5 log-scale, 6..8 colour (0.5 + C0 * f_dc). */
    private static double value(float[] p, int o, int k) {
        if (k < 3) {
            return p[o + SplatLayout.X + k];
        }
        if (k < 6) {
            return p[o + SplatLayout.SCALE_0 + k - 3];
        }
        return 0.5 + CompressedPly.SH_C0 * p[o + SplatLayout.DC_0 + k - 6];
    }

    private static double norm(double x, double min, double max) {
        if (x <= min) {
            return 0;
        }
        if (x >= max) {
            return 1;
        }
        return max - min < 0.00001 ? 0 : (x - min) / (max - min);
    }

    private static long unorm(double v, int bits) {
        int t = (1 << bits) - 1;
        double q = Math.floor(v * t + 0.5);
        return q > 0 ? (long) Math.min(t, q) : 0; // NaN packs as 0
    }

    private static long pack111011(double x, double y, double z) {
        return unorm(x, 11) << 21 | unorm(y, 10) << 11 | unorm(z, 11);
    }

    private static long packRotation(float[] a, int o) {
        double[] q = {a[o], a[o + 1], a[o + 2], a[o + 3]};
        double len = Math.sqrt(q[0] * q[0] + q[1] * q[1] + q[2] * q[2] + q[3] * q[3]);
        if (!(len > 0) || !Double.isFinite(len)) {
            q = new double[] {1, 0, 0, 0};
            len = 1;
        }
        int largest = 0;
        for (int i = 0; i < 4; i++) {
            q[i] /= len;
            if (Math.abs(q[i]) > Math.abs(q[largest])) {
                largest = i;
            }
        }
        double sign = q[largest] < 0 ? -1 : 1;
        long result = largest;
        for (int i = 0; i < 4; i++) {
            if (i != largest) {
                result = result << 10 | unorm(sign * q[i] * CompressedPly.ROT_NORM + 0.5, 10);
            }
        }
        return result;
    }

    @Override
    public void finish() throws IOException {
        if (finished || closed) {
            throw new IllegalStateException("the writer is finished or closed");
        }
        flushChunk();
        StringBuilder h = new StringBuilder("ply\nformat binary_little_endian 1.0\ncomment Generated by vsa\n");
        h.append("element chunk ").append(chunks).append('\n');
        for (String p : CompressedPly.CHUNK_PROPS) {
            h.append("property float ").append(p).append('\n');
        }
        h.append("element vertex ").append(count).append('\n');
        for (String p : CompressedPly.VERTEX_PROPS) {
            h.append("property uint ").append(p).append('\n');
        }
        if (restCount > 0) {
            h.append("element sh ").append(count).append('\n');
            for (int k = 0; k < restCount; k++) {
                h.append("property uchar f_rest_").append(k).append('\n');
            }
        }
        h.append("end_header\n");
        try (FileChannel out = FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ChannelIo.writeFully(out, ByteBuffer.wrap(h.toString().getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer bb = ByteBuffer.allocate((int) chunks * 72).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < chunks * 18; i++) {
                bb.putFloat(bounds[i]);
            }
            bb.flip();
            ChannelIo.writeFully(out, bb);
            copy(vertexCh, out);
            if (shCh != null) {
                copy(shCh, out);
            }
        }
        finished = true;
        close();
    }

    private static void copy(FileChannel from, FileChannel to) throws IOException {
        long size = from.size();
        long done = 0;
        while (done < size) {
            done += from.transferTo(done, size - done, to);
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            vertexCh.close();
            if (shCh != null) {
                shCh.close();
            }
        } finally {
            Files.deleteIfExists(vertexTemp);
            if (shTemp != null) {
                Files.deleteIfExists(shTemp);
            }
            if (!finished) {
                Files.deleteIfExists(path);
            }
        }
    }
}
