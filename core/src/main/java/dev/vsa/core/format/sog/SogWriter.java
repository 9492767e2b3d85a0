package dev.vsa.core.format.sog;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.vsa.core.error.ErrorCode;
import dev.vsa.core.error.MalformedInputException;
import dev.vsa.core.format.util.BatchChecks;
import dev.vsa.core.splat.SplatBatch;
import dev.vsa.core.splat.SplatLayout;
import dev.vsa.core.splat.SplatWriter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a SOG (version 2) as splat-transform 3.10.2 does: a {@code .sog} zip of stored entries, or (for a name
 * ending in {@code .json}) meta.json with the WebP images beside it. The scene is held in memory (a SOG is one
 * set of textures; its rows are Morton-ordered and its codebooks fitted over all splats): about
 * {@code 4 * (14 + 3 * coefficients)} bytes a splat, checked against the heap as rows arrive.
 *
 * <p>Texels, in Morton order of the positions (11 bits an axis over the bounding box): means as 16 bits of
 * {@code sign(x) * ln(|x| + 1)} between its min and max (low and high bytes in two images); rotations
 * smallest-three (sign made positive, times sqrt 2, 8 bits, alpha {@code 252 + index of the dropped component});
 * log-scales and f_dc as indices into 256-entry {@link Codebook}s, opacity {@code sigmoid * 255} in sh0's alpha;
 * SH through a {@link ShPalette} of {@code min(64, 2^floor(log2(n / 1024))) * 1024} entries (as splat-transform
 * sizes it), its coefficients through a third codebook. Values are rounded to nearest where splat-transform
 * truncates (its readers decode both alike). Texture size: width {@code ceil(sqrt(n) / 4) * 4}, height
 * {@code ceil(n / width / 4) * 4}.
 */
final class SogWriter implements SplatWriter {
    /** Lloyd rounds of the SH palette (splat-transform's default). */
    static final int ITERATIONS = 10;
    /** Seed of the SH palette's k-means: the same input gives the same file. */
    static final long SEED = 0x5065_7A53_4F47L;
    private static final long ZIP_TIME = 315_532_800_000L + 86_400_000L; // 1980-01-02, a fixed entry date

    private final Path path;
    private final SplatLayout layout;
    private final boolean bundled;
    private final int rest;
    private int n;
    private int capacity;
    private float[] pos, rot, opacity, restValues;
    private float[][] scale = new float[3][];
    private float[][] dc = new float[3][];
    private boolean done;
    /** Rows are written in the order given (a LOD unit lays out its leaves' rows itself); else Morton order. */
    private final boolean keepOrder;

    SogWriter(Path path, SplatLayout layout, long expectedCount) {
        this(path, layout, expectedCount, false);
    }

    SogWriter(Path path, SplatLayout layout, long expectedCount, boolean keepOrder) {
        this.keepOrder = keepOrder;
        Webp.require();
        if (!layout.extras().isEmpty()) {
            layout = layout; // extras are not stored by SOG; the batch must still match the given layout
        }
        this.path = path;
        this.layout = layout;
        this.bundled = !path.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".json");
        this.rest = layout.restCount();
        grow((int) Math.max(1024, Math.min(expectedCount < 0 ? 65_536 : expectedCount, SogMeta.MAX_COUNT)));
    }

    private int bytesPerSplat() {
        return 4 * (14 + rest);
    }

    private void grow(int cap) {
        long need = (long) cap * bytesPerSplat();
        Runtime rt = Runtime.getRuntime();
        long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        if (need - (long) capacity * bytesPerSplat() > free) {
            // what looks used may be garbage (a LOD set writes many units in one heap): collect once, look again
            System.gc();
            free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        }
        if (need - (long) capacity * bytesPerSplat() > free) {
            throw new MalformedInputException(ErrorCode.LIMIT_EXCEEDED, "splat " + n, "a SOG is built in memory: "
                    + cap + " splats need " + (need >> 20) + " MiB, the heap has " + (free >> 20)
                    + " MiB free (raise -Xmx)");
        }
        capacity = cap;
        pos = pos == null ? new float[3 * cap] : Arrays.copyOf(pos, 3 * cap);
        rot = rot == null ? new float[4 * cap] : Arrays.copyOf(rot, 4 * cap);
        opacity = opacity == null ? new float[cap] : Arrays.copyOf(opacity, cap);
        restValues = restValues == null ? new float[rest * cap] : Arrays.copyOf(restValues, rest * cap);
        for (int k = 0; k < 3; k++) {
            scale[k] = scale[k] == null ? new float[cap] : Arrays.copyOf(scale[k], cap);
            dc[k] = dc[k] == null ? new float[cap] : Arrays.copyOf(dc[k], cap);
        }
    }

    @Override
    public void write(SplatBatch batch) {
        BatchChecks.checkWrite(done, layout, batch);
        int rows = batch.size();
        if ((long) n + rows > SogMeta.MAX_COUNT) {
            throw new MalformedInputException(ErrorCode.LIMIT_EXCEEDED, "splat " + n,
                    "a SOG holds at most " + SogMeta.MAX_COUNT + " splats (16383 x 16383 WebP texels); write a LOD set");
        }
        if (n + rows > capacity) {
            grow((int) Math.min(SogMeta.MAX_COUNT, Math.max((long) n + rows, capacity + (capacity >> 1))));
        }
        float[] a = batch.array();
        int stride = batch.stride();
        for (int r = 0; r < rows; r++) {
            int o = r * stride;
            int i = n + r;
            System.arraycopy(a, o, pos, 3 * i, 3);
            System.arraycopy(a, o + SplatLayout.ROT_W, rot, 4 * i, 4);
            opacity[i] = a[o + SplatLayout.OPACITY];
            for (int k = 0; k < 3; k++) {
                scale[k][i] = a[o + SplatLayout.SCALE_0 + k];
                dc[k][i] = a[o + SplatLayout.DC_0 + k];
            }
            if (rest > 0) {
                System.arraycopy(a, o + SplatLayout.REST, restValues, rest * i, rest);
            }
        }
        n += rows;
    }

    @Override
    public void finish() throws IOException {
        if (done) {
            throw new IllegalStateException("the writer is finished or closed");
        }
        done = true;
        int width = Math.max(4, (int) Math.ceil(Math.sqrt(n) / 4) * 4);
        int height = Math.max(4, (int) Math.ceil((double) n / width / 4) * 4);
        ForkJoinPool pool = new ForkJoinPool(Runtime.getRuntime().availableProcessors());
        try {
            Future<Codebook> scales = pool.submit(() -> Codebook.fit(scale, n));
            Future<Codebook> colors = pool.submit(() -> Codebook.fit(dc, n));
            int coeffs = layout.restPerChannel();
            int palette = (int) (Math.min(64, Math.pow(2, Math.floor(Math.log(n / 1024.0) / Math.log(2)))) * 1024);
            Future<ShPalette> sh = rest > 0 && n > 0
                    ? pool.submit(() -> ShPalette.cluster(restValues, n, rest, Math.max(1, palette), ITERATIONS, SEED, pool))
                    : null;
            int[] order = mortonOrder();
            Map<String, Future<byte[]>> images = new LinkedHashMap<>();
            double[][] minMax = meansRange();
            images.put("means_l.webp", pool.submit(() -> means(order, minMax, width, height, 0)));
            images.put("means_u.webp", pool.submit(() -> means(order, minMax, width, height, 8)));
            images.put("quats.webp", pool.submit(() -> quats(order, width, height)));
            Codebook sc = scales.get();
            images.put("scales.webp", pool.submit(() -> labels(order, scale, sc, null, width, height)));
            Codebook cc = colors.get();
            images.put("sh0.webp", pool.submit(() -> labels(order, dc, cc, opacity, width, height)));
            ShPalette palette1 = sh == null ? null : sh.get();
            Codebook shc = null;
            if (palette1 != null) {
                float[][] cols = new float[rest][palette1.count];
                for (int c = 0; c < palette1.count; c++) {
                    for (int j = 0; j < rest; j++) {
                        cols[j][c] = palette1.centroids[c * rest + j];
                    }
                }
                Codebook book = Codebook.fit(cols, palette1.count);
                shc = book;
                images.put("shN_centroids.webp", pool.submit(() -> centroids(palette1, book, coeffs)));
                images.put("shN_labels.webp", pool.submit(() -> shLabels(order, palette1, width, height)));
            }
            byte[] meta = meta(minMax, sc, cc, palette1, shc);
            output(images, meta);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while writing " + path, e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException r) {
                throw r;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IOException(c);
        } finally {
            pool.shutdownNow();
        }
    }

    private void output(Map<String, Future<byte[]>> images, byte[] meta) throws IOException, InterruptedException, ExecutionException {
        if (bundled) {
            try (OutputStream file = Files.newOutputStream(path);
                 ZipOutputStream zip = new ZipOutputStream(new java.io.BufferedOutputStream(file, 1 << 16))) {
                for (Map.Entry<String, Future<byte[]>> e : images.entrySet()) {
                    entry(zip, e.getKey(), e.getValue().get());
                }
                entry(zip, "meta.json", meta);
            }
        } else {
            Path dir = path.toAbsolutePath().getParent();
            for (Map.Entry<String, Future<byte[]>> e : images.entrySet()) {
                Files.write(dir.resolve(e.getKey()), e.getValue().get());
            }
            Files.write(path, meta);
        }
    }

    private static void entry(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        e.setCompressedSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        e.setCrc(crc.getValue());
        e.setTime(ZIP_TIME);
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
    }

    private byte[] meta(double[][] minMax, Codebook sc, Codebook cc, ShPalette palette, Codebook shc) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = new JsonFactory().createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeNumberField("version", 2);
            g.writeObjectFieldStart("asset");
            g.writeStringField("generator", "vsa");
            g.writeEndObject();
            g.writeNumberField("count", n);
            g.writeObjectFieldStart("means");
            g.writeArrayFieldStart("mins");
            for (double v : minMax[0]) {
                g.writeNumber(v);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("maxs");
            for (double v : minMax[1]) {
                g.writeNumber(v);
            }
            g.writeEndArray();
            files(g, "means_l.webp", "means_u.webp");
            g.writeEndObject();
            g.writeObjectFieldStart("scales");
            codebook(g, sc);
            files(g, "scales.webp");
            g.writeEndObject();
            g.writeObjectFieldStart("quats");
            files(g, "quats.webp");
            g.writeEndObject();
            g.writeObjectFieldStart("sh0");
            codebook(g, cc);
            files(g, "sh0.webp");
            g.writeEndObject();
            if (palette != null) {
                g.writeObjectFieldStart("shN");
                g.writeNumberField("count", palette.count);
                g.writeNumberField("bands", layout.shDegree());
                codebook(g, shc);
                files(g, "shN_centroids.webp", "shN_labels.webp");
                g.writeEndObject();
            }
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private static void codebook(JsonGenerator g, Codebook c) throws IOException {
        g.writeArrayFieldStart("codebook");
        for (float v : c.entries) {
            g.writeNumber(v);
        }
        g.writeEndArray();
    }

    private static void files(JsonGenerator g, String... names) throws IOException {
        g.writeArrayFieldStart("files");
        for (String s : names) {
            g.writeString(s);
        }
        g.writeEndArray();
    }

    static double logT(double v) {
        return Math.signum(v) * Math.log(Math.abs(v) + 1);
    }

    private double[][] meansRange() {
        double[][] mm = {{Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY},
                {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY}};
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 3; k++) {
                double v = pos[3 * i + k];
                if (v < mm[0][k]) {
                    mm[0][k] = v;
                }
                if (v > mm[1][k]) {
                    mm[1][k] = v;
                }
            }
        }
        for (int k = 0; k < 3; k++) {
            if (n == 0 || !Double.isFinite(mm[0][k]) || !Double.isFinite(mm[1][k])) {
                if (n > 0) {
                    throw new MalformedInputException(ErrorCode.NON_FINITE_VALUES, null,
                            "positions must be finite to be written to SOG (use the filter-nan transform)");
                }
                mm[0][k] = 0;
                mm[1][k] = 0;
            }
            mm[0][k] = logT(mm[0][k]);
            mm[1][k] = logT(mm[1][k]);
        }
        return mm;
    }

    /** Row order: Morton code of the position (11 bits an axis over the bounding box), ties by input order. */
    private int[] mortonOrder() {
        if (keepOrder) {
            int[] order = new int[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            return order;
        }
        float[] lo = {Float.MAX_VALUE, Float.MAX_VALUE, Float.MAX_VALUE};
        float[] hi = {-Float.MAX_VALUE, -Float.MAX_VALUE, -Float.MAX_VALUE};
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 3; k++) {
                float v = pos[3 * i + k];
                lo[k] = Math.min(lo[k], v);
                hi[k] = Math.max(hi[k], v);
            }
        }
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            long code = 0;
            for (int k = 0; k < 3; k++) {
                float r = hi[k] - lo[k];
                int q = r > 0 ? (int) Math.min(2047, Math.max(0, (pos[3 * i + k] - lo[k]) / r * 2048)) : 0;
                code |= spread(q) << k;
            }
            keys[i] = code << 31 | i;
        }
        Arrays.parallelSort(keys);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = (int) (keys[i] & 0x7FFF_FFFFL);
        }
        return order;
    }

    private static long spread(int v) {
        long x = v & 0x7FFL;
        long out = 0;
        for (int b = 0; b < 11; b++) {
            out |= ((x >>> b) & 1) << (3 * b);
        }
        return out;
    }

    private byte[] means(int[] order, double[][] mm, int w, int h, int shift) {
        byte[] img = new byte[w * h * 4];
        for (int t = 0; t < n; t++) {
            int g = order[t];
            for (int k = 0; k < 3; k++) {
                double range = mm[1][k] - mm[0][k];
                int q = range > 0 ? (int) Math.round(65535 * (logT(pos[3 * g + k]) - mm[0][k]) / range) : 0;
                q = Math.max(0, Math.min(65535, q));
                img[4 * t + k] = (byte) (q >>> shift);
            }
            img[4 * t + 3] = (byte) 0xFF;
        }
        return Webp.encodeLossless(img, w, h);
    }

    private byte[] quats(int[] order, int w, int h) {
        byte[] img = new byte[w * h * 4];
        double[] q = new double[4];
        double sqrt2 = Math.sqrt(2);
        for (int t = 0; t < n; t++) {
            int g = order[t];
            double len = 0;
            for (int c = 0; c < 4; c++) {
                q[c] = rot[4 * g + c];
                len += q[c] * q[c];
            }
            len = Math.sqrt(len);
            if (!(len > 0) || !Double.isFinite(len)) {
                q[0] = 1;
                q[1] = q[2] = q[3] = 0;
                len = 1;
            }
            int largest = 0;
            for (int c = 1; c < 4; c++) {
                if (Math.abs(q[c]) > Math.abs(q[largest])) {
                    largest = c;
                }
            }
            double s = (q[largest] < 0 ? -sqrt2 : sqrt2) / len;
            int at = 0;
            for (int c = 0; c < 4; c++) {
                if (c != largest) {
                    long b = Math.round(255 * (q[c] * s * 0.5 + 0.5));
                    img[4 * t + at++] = (byte) Math.max(0, Math.min(255, b));
                }
            }
            img[4 * t + 3] = (byte) (252 + largest);
        }
        return Webp.encodeLossless(img, w, h);
    }

    private byte[] labels(int[] order, float[][] cols, Codebook book, float[] alphaLogit, int w, int h) {
        byte[] img = new byte[w * h * 4];
        for (int t = 0; t < n; t++) {
            int g = order[t];
            for (int k = 0; k < 3; k++) {
                img[4 * t + k] = (byte) book.index(cols[k][g]);
            }
            if (alphaLogit == null) {
                img[4 * t + 3] = (byte) 0xFF;
            } else {
                double a = 1 / (1 + Math.exp(-alphaLogit[g]));
                img[4 * t + 3] = (byte) Math.max(0, Math.min(255, Math.round(a * 255)));
            }
        }
        return Webp.encodeLossless(img, w, h);
    }

    private byte[] centroids(ShPalette p, Codebook book, int coeffs) {
        int w = 64 * coeffs;
        int h = (p.count + 63) / 64;
        byte[] img = new byte[w * h * 4];
        for (int c = 0; c < p.count; c++) {
            for (int j = 0; j < coeffs; j++) {
                int t = (c / 64) * w + (c % 64) * coeffs + j;
                for (int ch = 0; ch < 3; ch++) {
                    img[4 * t + ch] = (byte) book.index(p.centroids[c * rest + ch * coeffs + j]);
                }
                img[4 * t + 3] = (byte) 0xFF;
            }
        }
        return Webp.encodeLossless(img, w, h);
    }

    private byte[] shLabels(int[] order, ShPalette p, int w, int h) {
        byte[] img = new byte[w * h * 4];
        for (int t = 0; t < n; t++) {
            int label = p.labels[order[t]];
            img[4 * t] = (byte) label;
            img[4 * t + 1] = (byte) (label >>> 8);
            img[4 * t + 3] = (byte) 0xFF;
        }
        return Webp.encodeLossless(img, w, h);
    }

    @Override
    public void close() throws IOException {
        if (!done) {
            done = true;
            Files.deleteIfExists(path);
        }
        pos = rot = opacity = restValues = null;
        scale = dc = null;
    }
}
