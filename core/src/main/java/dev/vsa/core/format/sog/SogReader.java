package dev.vsa.core.format.sog;

import dev.vsa.core.error.ErrorCode;
import dev.vsa.core.error.MalformedInputException;
import dev.vsa.core.format.PlyRows;
import dev.vsa.core.format.util.BatchChecks;
import dev.vsa.core.format.util.Parallel;
import dev.vsa.core.splat.SplatBatch;
import dev.vsa.core.splat.SplatFileInfo;
import dev.vsa.core.splat.SplatFormat;
import dev.vsa.core.splat.SplatLayout;
import dev.vsa.core.splat.SplatReader;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads a SOG (version 2, and version 1 as {@link SogMeta} describes it): the images are decoded once (WebP has no random access), then splats are expanded
 * batch by batch. Before any image is decoded, meta.json's count is checked against the memory it needs, and
 * each image's size (from its header) against the count: at most {@code 2 * count + 65536} texels (splat-transform
 * pads to a multiple of 4 in each direction), at least {@code count}.
 *
 * <p>Decoding (the inverse of splat-transform's writer): position {@code v = lerp(min, max, (lo | hi << 8) / 65535)},
 * {@code x = sign(v) * (exp(|v|) - 1)}; rotation smallest-three, 8 bits each scaled by {@code sqrt 2}, the alpha
 * byte {@code 252 + index} of the dropped (largest, made positive) component in w x y z order; log-scales and f_dc
 * through their 256-entry codebooks; opacity {@code logit(a / 255)} clamped to 1e-6; SH: a 16-bit label (r | g << 8)
 * picks a palette entry, whose coefficients sit at texel ({@code (label % 64) * coeffs + j}, {@code label / 64}) of
 * the centroids image, one byte per channel indexing the SH codebook.
 */
final class SogReader implements SplatReader, PlyRows {
    /** Bytes of decoded image data held per splat (six images of 4 bytes), for the memory check. */
    static final int BYTES_PER_SPLAT = 24;
    /** Above this count positions are decoded through a table of every 16-bit value (3 x 65536 exp calls). */
    static final long POSITION_TABLE_MIN = 1 << 16;
    /** Largest ratio of decoded image bytes (4 a texel) to the images' compressed bytes, past the free allowance. */
    static final long MAX_IMAGE_RATIO = 100;
    /** Decoded image bytes accepted whatever their compressed size (1M texels: 150K splats with SH). */
    static final long IMAGE_RATIO_FREE = 4L << 20;
    /** {@code (b / 255 * 2 - 1) / sqrt 2} for each byte of a smallest-three rotation component. */
    private static final double[] ROT_PART = new double[256];

    static {
        for (int b = 0; b < 256; b++) {
            ROT_PART[b] = (b / 255.0 * 2 - 1) / Math.sqrt(2);
        }
    }

    private final SogMeta meta;
    private final SplatFileInfo info;
    private final int[] meansL, meansU, quats, scales, sh0, labels, centroids;
    private final int centroidsWidth;
    private final int coeffs;
    private final double[] range = new double[3];
    /** Decoded positions per axis and 16-bit value, or null (then computed per splat). */
    private final float[][] positions;
    /**
     * The SH palette expanded to floats, {@code 3 * coeffs} per entry in row order, or null (then looked up per
     * splat through the centroids image).
     */
    private final float[] palette;
    private long next;

    /** @param tables the decoding tables made while the images were decoded, or null for none */
    private SogReader(SogMeta meta, SplatFileInfo info, int[][] images, int centroidsWidth, Tables tables) {
        this.meta = meta;
        this.info = info;
        meansL = images[0];
        meansU = images[1];
        quats = images[2];
        scales = images[3];
        sh0 = images[4];
        labels = images[5];
        centroids = images[6];
        this.centroidsWidth = centroidsWidth;
        this.coeffs = SplatLayout.restPerChannel(meta.shBands());
        ranges(meta, range);
        positions = tables == null ? null : tables.positions;
        palette = tables == null ? null : tables.palette;
    }

    /** Each axis's {@code max - min}, 1 where that is 0. */
    private static void ranges(SogMeta meta, double[] range) {
        for (int k = 0; k < 3; k++) {
            double r = meta.maxs()[k] - meta.mins()[k];
            range[k] = r == 0 ? 1 : r;
        }
    }

    /** The reader's position table and palette, filled in by the tasks that decode the images. */
    private static final class Tables {
        float[][] positions;
        float[] palette;
    }

    /**
     * Rows, table entries or labels one call of an inner loop here handles at most: the JIT compiles a method once it
     * has been called a hundred or so times, a loop within one call only some 60,000 iterations in (interpreted
     * until then, tens of times slower), so the long loops of a conversion are made of short calls.
     */
    static final int CHUNK = 32;

    /** Every position value of each axis: 3 x 65536 floats. */
    private static float[][] positionTable(SogMeta meta) {
        double[] range = new double[3];
        ranges(meta, range);
        float[][] t = new float[3][65536];
        for (int k = 0; k < 3; k++) {
            for (int v = 0; v < 65536; v += CHUNK) {
                positions(meta, range, k, v, t[k]);
            }
        }
        return t;
    }

    /** Positions {@code [v, v + CHUNK)} of an axis into {@code t}. */
    private static void positions(SogMeta meta, double[] range, int axis, int v, float[] t) {
        for (int i = v; i < v + CHUNK; i++) {
            t[i] = position(meta, range, axis, i);
        }
    }

    /** The SH palette expanded to floats (see {@link #palette}). */
    private static float[] paletteTable(SogMeta meta, int[] centroids, int centroidsWidth) {
        int coeffs = SplatLayout.restPerChannel(meta.shBands());
        int per = 3 * coeffs;
        float[] p = new float[meta.shCount() * per];
        for (int label = 0; label < meta.shCount(); label += CHUNK) {
            paletteEntries(meta, centroids, centroidsWidth, label, Math.min(meta.shCount(), label + CHUNK), p);
        }
        return p;
    }

    /** Palette entries {@code [from, to)} into {@code p}. */
    private static void paletteEntries(SogMeta meta, int[] centroids, int centroidsWidth, int from, int to, float[] p) {
        int coeffs = SplatLayout.restPerChannel(meta.shBands());
        for (int label = from; label < to; label++) {
            shFromCentroids(meta.shCodebook(), centroids, centroidsWidth, coeffs, label, p, label * 3 * coeffs);
        }
    }

    static SplatReader open(Path path) throws IOException {
        return open(path, null);
    }

    /**
     * What a SOG declares, checked against its images' headers and sizes, without decoding an image: meta.json
     * (version 1's SH bands completed from its centroids image), and each image's size from its header.
     *
     * @param sizes the images' sizes in the order of {@link #imageNames} (null where there is no such image)
     */
    private record Declared(SogMeta meta, String[] names, Webp.Size[] sizes, SplatFileInfo info) {
    }

    /** The images of a SOG in reading order: means_l, means_u, quats, scales, sh0, labels, centroids (or null). */
    private static String[] imageNames(SogMeta m) {
        return new String[] {m.meansFiles().get(0), m.meansFiles().get(1), m.quatsFile(), m.scalesFile(), m.sh0File(),
                m.shBands() != 0 ? m.shLabelsFile() : null, m.shBands() != 0 ? m.shCentroidsFile() : null};
    }

    /**
     * What the SOG at {@code path} declares (count, layout, bytes), every bound below checked, without decoding.
     *
     * @throws MalformedInputException as {@link #open}
     */
    static SplatFileInfo declared(Path path) throws IOException {
        try (SogFiles files = SogFiles.open(path)) {
            return declare(files).info();
        }
    }

    /**
     * Reads meta.json and each image's header, and bounds the work they declare before any image is decoded: the
     * decoded images' memory against the heap; each image's size against the count (at least {@code count} texels,
     * at most {@code 2 * count + 65536}); and the texels against the bytes that hold them: all images together
     * decode to at most {@link #MAX_IMAGE_RATIO} times their compressed size (beyond {@link #IMAGE_RATIO_FREE}).
     * Real SOG images decode to 1-25 times their size (lossless WebP of noisy data); a few KB of constant images
     * that declare millions of texels are refused here instead of being decoded.
     */
    private static Declared declare(SogFiles files) throws IOException {
        SogMeta meta = SogMeta.parse(files.read(files.metaName(), SogFiles.MAX_META_BYTES));
        long count = meta.count();
        long heap = Runtime.getRuntime().maxMemory();
        if (count * BYTES_PER_SPLAT > heap / 2) {
            throw new MalformedInputException(ErrorCode.LIMIT_EXCEEDED, "/count", "decoding " + count
                    + " splats needs about " + (count * BYTES_PER_SPLAT >> 20) + " MiB, more than half the "
                    + (heap >> 20) + " MiB heap");
        }
        long maxTexels = 2 * count + 65536;
        if (meta.shBands() == SogMeta.BANDS_FROM_IMAGE) {
            // version 1: the bands follow from the centroids' width, the palette from its size
            String name = meta.shCentroidsFile();
            Webp.Size size = Webp.size(files.head(name, Webp.HEADER_BYTES), name);
            int bands = size.width() == 192 ? 1 : size.width() == 512 ? 2 : size.width() == 960 ? 3 : 0;
            if (bands == 0) {
                throw new MalformedInputException(ErrorCode.SOG_BAD_IMAGE, name, name + " is " + size.width()
                        + " wide; a version 1 SH palette is 192, 512 or 960 (bands 1-3)");
            }
            meta = meta.withSh(bands, (int) Math.min(SogMeta.MAX_PALETTE,
                    (long) (size.width() / SplatLayout.restPerChannel(bands)) * size.height()));
        }
        String[] names = imageNames(meta);
        Webp.Size[] sizes = new Webp.Size[names.length];
        long texels = 0;
        long packed = 0;
        for (int i = 0; i < names.length; i++) {
            String name = names[i];
            if (name == null) {
                continue;
            }
            Webp.Size size = Webp.size(files.head(name, Webp.HEADER_BYTES), name);
            if (i < 6) {
                if (size.pixels() < count || size.pixels() > maxTexels) {
                    throw new MalformedInputException(ErrorCode.SOG_BAD_IMAGE, name, name + " is " + size.width()
                            + "x" + size.height() + ", which does not fit count " + count);
                }
            } else {
                int coeffs = SplatLayout.restPerChannel(meta.shBands());
                if (size.width() != 64 * coeffs || (long) size.height() * 64 < meta.shCount()
                        || size.height() > SogMeta.MAX_PALETTE / 64) {
                    throw new MalformedInputException(ErrorCode.SOG_BAD_IMAGE, name, name + " is " + size.width()
                            + "x" + size.height() + "; a palette of " + meta.shCount() + " entries of " + coeffs
                            + " coefficients needs " + (64 * coeffs) + " x " + ((meta.shCount() + 63) / 64));
                }
            }
            sizes[i] = size;
            texels += size.pixels();
            packed += files.length(name);
        }
        long decoded = 4 * texels;
        if (decoded > IMAGE_RATIO_FREE && decoded / MAX_IMAGE_RATIO > packed) {
            throw new MalformedInputException(ErrorCode.LIMIT_EXCEEDED, "/count", "the images declare " + texels
                    + " texels (" + (decoded >> 20) + " MiB decoded) in " + packed + " bytes, more than "
                    + MAX_IMAGE_RATIO + " times their size: not real SOG data");
        }
        SplatFileInfo info = new SplatFileInfo(SplatFormat.SOG, meta.version(),
                (files instanceof SogFiles.Zip ? "bundled" : "unbundled")
                        + (meta.shBands() > 0 ? ", SH palette " + meta.shCount() : ""),
                count, SplatLayout.of(meta.shBands()), files.size());
        return new Declared(meta, names, sizes, info);
    }

    /**
     * @param tables whether to decode through lookup tables (null: when the count makes them pay); both ways give
     *               the same floats
     */
    static SplatReader open(Path path, Boolean tables) throws IOException {
        try (SogFiles files = SogFiles.open(path)) {
            return open(files, tables);
        }
    }

    /** As {@link #open(Path, Boolean)}, from {@code files} (left open). */
    static SplatReader open(SogFiles files, Boolean tables) throws IOException {
        Declared d = declare(files);
        String[] names = d.names();
        SogMeta meta = d.meta();
        boolean tabled = tables != null ? tables : meta.count() > POSITION_TABLE_MIN;
        // Worth it when splats outnumber palette entries; the palette is at most 65536 x 45 floats (11.8 MB).
        boolean paletted = tabled && meta.shBands() > 0 && meta.count() >= meta.shCount();
        int centroidsWidth = d.sizes()[6] == null ? 0 : d.sizes()[6].width();
        Tables made = tabled ? new Tables() : null;
        // Each image is read, then decoded, the images in parallel (one decodes on one core); the first
        // bad one in this order is reported. The tables are made in the same tasks (the palette right after
        // the centroids, the positions last), not after them on one core.
        int[][] images = new int[names.length][];
        // the images are read into a few arrays as large as the largest, each taken by one task at a time, not
        // each into fresh memory (slow to touch: 19 MB of images took 13-65 ms to read into new arrays)
        long largest = 0;
        for (String name : names) {
            long length = name == null ? 0 : files.length(name);
            largest = length <= SogFiles.MAX_FILE_BYTES ? Math.max(largest, length) : largest; // (others refused)
        }
        int spareSize = (int) largest;
        java.util.Queue<byte[]> spares = new java.util.concurrent.ConcurrentLinkedQueue<>();
        Parallel.map(names.length + 1, i -> {
            if (i == names.length) {
                if (made != null) {
                    made.positions = positionTable(meta);
                }
                return null;
            }
            String name = names[i];
            if (name == null) {
                return null;
            }
            byte[] spare = spares.poll();
            SogFiles.Read read = files.read(name, SogFiles.MAX_FILE_BYTES, spare != null ? spare : new byte[spareSize]);
            // exactly the bytes read: a file asked for its length again may have changed since (unbundled)
            images[i] = Webp.decode(read.data(), read.length(), d.sizes()[i], name);
            spares.add(read.data());
            if (i == 6 && paletted) {
                made.palette = paletteTable(meta, images[i], centroidsWidth);
            }
            return null;
        }, Object[]::new);
        return new SogReader(meta, d.info(), images, centroidsWidth, made);
    }

    @Override
    public SplatFileInfo info() {
        return info;
    }

    private float position(int axis, int v) {
        return position(meta, range, axis, v);
    }

    private static float position(SogMeta meta, double[] range, int axis, int v) {
        return (float) invLog(meta.mins()[axis] + range[axis] * (v / 65535.0));
    }

    /** Writes the SH coefficients of palette entry {@code label} (row order: channel-major) at {@code a[at]}. */
    private void shFromCentroids(int label, float[] a, int at) {
        shFromCentroids(meta.shCodebook(), centroids, centroidsWidth, coeffs, label, a, at);
    }

    private static void shFromCentroids(float[] shc, int[] centroids, int centroidsWidth, int coeffs, int label,
            float[] a, int at) {
        int base = (label / 64) * centroidsWidth + (label % 64) * coeffs;
        for (int j = 0; j < coeffs; j++) {
            int t = centroids[base + j];
            a[at + j] = shc[t >>> 16 & 0xFF];
            a[at + coeffs + j] = shc[t >>> 8 & 0xFF];
            a[at + 2 * coeffs + j] = shc[t & 0xFF];
        }
    }

    @Override
    public int read(SplatBatch batch) {
        BatchChecks.checkRead(info.layout(), batch);
        int n = (int) Math.min(batch.capacity(), meta.count() - next);
        for (int r = 0; r < n; r += CHUNK) {
            decode((int) next + r, Math.min(CHUNK, n - r), batch.array(), r * batch.stride(), batch.stride(),
                    SplatLayout.X, SplatLayout.ROT_W, SplatLayout.SCALE_0, SplatLayout.DC_0, SplatLayout.OPACITY,
                    SplatLayout.REST);
        }
        next += n;
        batch.setSize(n);
        return n;
    }

    @Override
    public void readPly(long first, int n, float[] rows) {
        if (first < 0 || n < 0 || first + n > meta.count()) {
            throw new IndexOutOfBoundsException("rows " + first + " + " + n + " of " + meta.count());
        }
        int rest = 3 * coeffs;
        int stride = 17 + rest; // x y z, normals, f_dc, f_rest, opacity, scales, rotation
        for (int r = 0; r < n; r += CHUNK) {
            int k = Math.min(CHUNK, n - r);
            normals(rows, r * stride + 3, k, stride);
            decode((int) first + r, k, rows, r * stride, stride, 0, 13 + rest, 10 + rest, 6, 9 + rest, 9);
        }
    }

    /** Zero normals of {@code n} rows, the first at {@code rows[at]}. */
    private static void normals(float[] rows, int at, int n, int stride) {
        for (int r = 0, o = at; r < n; r++, o += stride) {
            rows[o] = 0;
            rows[o + 1] = 0;
            rows[o + 2] = 0;
        }
    }

    /**
     * Decodes splats {@code [first, first + n)} into rows of {@code stride} floats from {@code a[at]}, each attribute at
     * its given offset in the row (position x y z, rotation w x y z, scales, f_dc, opacity and f_rest consecutive from
     * there): the same floats for a batch and for PLY's row order. Called for {@link #CHUNK} rows at a time.
     */
    private void decode(int first, int n, float[] a, int at, int stride, int atPos, int atRot, int atScale, int atDc,
            int atOpacity, int atRest) {
        float[][] sc = meta.scaleBooks();
        float[][] cc = meta.dcBooks();
        float[] op = meta.opacityTable();
        float[][] pos = positions;
        float[] pal = palette;
        int per = 3 * coeffs;
        int shCount = meta.shCount();
        for (int r = 0; r < n; r++) {
            int g = first + r;
            int o = at + r * stride;
            int lo = meansL[g];
            int hi = meansU[g];
            // ARGB: red at bit 16, green 8, blue 0
            int vx = (lo >>> 16 & 0xFF) | (hi >>> 16 & 0xFF) << 8;
            int vy = (lo >>> 8 & 0xFF) | (hi >>> 8 & 0xFF) << 8;
            int vz = (lo & 0xFF) | (hi & 0xFF) << 8;
            int p = o + atPos;
            if (pos != null) {
                a[p] = pos[0][vx];
                a[p + 1] = pos[1][vy];
                a[p + 2] = pos[2][vz];
            } else {
                a[p] = position(0, vx);
                a[p + 1] = position(1, vy);
                a[p + 2] = position(2, vz);
            }
            int q = quats[g];
            int tag = q >>> 24;
            p = o + atRot;
            if (tag < 252) {
                a[p] = 1;
                a[p + 1] = 0;
                a[p + 2] = 0;
                a[p + 3] = 0;
            } else {
                int largest = tag - 252;
                double p0 = ROT_PART[q >>> 16 & 0xFF], p1 = ROT_PART[q >>> 8 & 0xFF], p2 = ROT_PART[q & 0xFF];
                double s = p0 * p0 + p1 * p1 + p2 * p2;
                float w = (float) Math.sqrt(Math.max(0, 1 - s));
                // the three stored components fill the other slots in w x y z order
                a[p] = largest == 0 ? w : (float) p0;
                a[p + 1] = largest == 1 ? w : (float) (largest < 1 ? p0 : p1);
                a[p + 2] = largest == 2 ? w : (float) (largest < 2 ? p1 : p2);
                a[p + 3] = largest == 3 ? w : (float) p2;
            }
            int sv = scales[g];
            p = o + atScale;
            a[p] = sc[0][sv >>> 16 & 0xFF];
            a[p + 1] = sc[1][sv >>> 8 & 0xFF];
            a[p + 2] = sc[2][sv & 0xFF];
            int c = sh0[g];
            p = o + atDc;
            a[p] = cc[0][c >>> 16 & 0xFF];
            a[p + 1] = cc[1][c >>> 8 & 0xFF];
            a[p + 2] = cc[2][c & 0xFF];
            a[o + atOpacity] = op[c >>> 24];
        }
        // The SH coefficients in a pass of their own: each row's palette entry is a random read (the palette is
        // 11.8 MB with 65536 entries), and a loop of copies alone keeps several of those misses in flight at once
        // (readPly of 1M SH3 rows: about 80-100 ms instead of 160-200 on one core, C1).
        if (per > 0) {
            for (int r = 0; r < n; r++) {
                int g = first + r;
                int lab = labels[g];
                int label = (lab >>> 16 & 0xFF) | (lab >>> 8 & 0xFF) << 8;
                if (label >= shCount) {
                    throw new MalformedInputException(ErrorCode.SOG_BAD_IMAGE, "splat " + g, "SH label " + label
                            + " is beyond the palette of " + shCount);
                }
                if (pal != null) {
                    System.arraycopy(pal, label * per, a, at + r * stride + atRest, per);
                } else {
                    shFromCentroids(label, a, at + r * stride + atRest);
                }
            }
        }
    }

    static double invLog(double v) {
        double e = Math.exp(Math.abs(v)) - 1;
        return v < 0 ? -e : e;
    }

    @Override
    public void close() {
    }
}
