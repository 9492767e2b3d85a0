package dev.vsa.core.format.sog;

import dev.vsa.core.error.ErrorCode;
import dev.vsa.core.error.MalformedInputException;
import dev.vsa.core.format.util.BatchChecks;
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
final class SogReader implements SplatReader {
    /** Bytes of decoded image data held per splat (six images of 4 bytes), for the memory check. */
    static final int BYTES_PER_SPLAT = 24;

    private final SogMeta meta;
    private final SplatFileInfo info;
    private final int[] meansL, meansU, quats, scales, sh0, labels, centroids;
    private final int centroidsWidth;
    private final int coeffs;
    private long next;

    private SogReader(SogMeta meta, SplatFileInfo info, int[][] images, int centroidsWidth) {
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
    }

    static SplatReader open(Path path) throws IOException {
        Webp.require();
        try (SogFiles files = SogFiles.open(path)) {
            SogMeta meta = SogMeta.parse(files.read(files.metaName(), SogFiles.MAX_META_BYTES));
            long count = meta.count();
            long heap = Runtime.getRuntime().maxMemory();
            if (count * BYTES_PER_SPLAT > heap / 2) {
                throw new MalformedInputException(ErrorCode.LIMIT_EXCEEDED, "/count", "decoding " + count
                        + " splats needs about " + (count * BYTES_PER_SPLAT >> 20) + " MiB, more than half the "
                        + (heap >> 20) + " MiB heap");
            }
            long maxTexels = 2 * count + 65536;
            String[] names = {meta.meansFiles().get(0), meta.meansFiles().get(1), meta.quatsFile(), meta.scalesFile(),
                    meta.sh0File(), meta.shLabelsFile()};
            int[][] images = new int[7][];
            for (int i = 0; i < names.length; i++) {
                if (names[i] == null) {
                    continue;
                }
                byte[] data = files.read(names[i], SogFiles.MAX_FILE_BYTES);
                Webp.Size size = Webp.size(data, names[i]);
                if (size.pixels() < count || size.pixels() > maxTexels) {
                    throw new MalformedInputException(ErrorCode.SOG_BAD_IMAGE, names[i], names[i] + " is " + size.width()
                            + "x" + size.height() + ", which does not fit count " + count);
                }
                images[i] = Webp.decode(data, size, names[i]);
            }
            int cw = 0;
            if (meta.shBands() == SogMeta.BANDS_FROM_IMAGE) {
                // version 1: the bands follow from the centroids' width, the palette from its size
                String name = meta.shCentroidsFile();
                Webp.Size size = Webp.size(files.read(name, SogFiles.MAX_FILE_BYTES), name);
                int bands = size.width() == 192 ? 1 : size.width() == 512 ? 2 : size.width() == 960 ? 3 : 0;
                if (bands == 0) {
                    throw new MalformedInputException(ErrorCode.SOG_BAD_IMAGE, name, name + " is " + size.width()
                            + " wide; a version 1 SH palette is 192, 512 or 960 (bands 1-3)");
                }
                meta = meta.withSh(bands, (int) Math.min(SogMeta.MAX_PALETTE,
                        (long) (size.width() / SplatLayout.restPerChannel(bands)) * size.height()));
            }
            if (meta.shBands() > 0) {
                String name = meta.shCentroidsFile();
                byte[] data = files.read(name, SogFiles.MAX_FILE_BYTES);
                Webp.Size size = Webp.size(data, name);
                int coeffs = SplatLayout.restPerChannel(meta.shBands());
                if (size.width() != 64 * coeffs || (long) size.height() * 64 < meta.shCount()
                        || size.height() > SogMeta.MAX_PALETTE / 64) {
                    throw new MalformedInputException(ErrorCode.SOG_BAD_IMAGE, name, name + " is " + size.width() + "x"
                            + size.height() + "; a palette of " + meta.shCount() + " entries of " + coeffs
                            + " coefficients needs " + (64 * coeffs) + " x " + ((meta.shCount() + 63) / 64));
                }
                images[6] = Webp.decode(data, size, name);
                cw = size.width();
            }
            SplatFileInfo info = new SplatFileInfo(SplatFormat.SOG, meta.version(),
                    (files instanceof SogFiles.Zip ? "bundled" : "unbundled")
                            + (meta.shBands() > 0 ? ", SH palette " + meta.shCount() : ""),
                    count, SplatLayout.of(meta.shBands()), files.size());
            return new SogReader(meta, info, images, cw);
        }
    }

    @Override
    public SplatFileInfo info() {
        return info;
    }

    @Override
    public int read(SplatBatch batch) {
        BatchChecks.checkRead(info.layout(), batch);
        int n = (int) Math.min(batch.capacity(), meta.count() - next);
        float[] a = batch.array();
        int stride = batch.stride();
        double[] mins = meta.mins();
        double[] range = new double[3];
        double[] parts = new double[3];
        for (int k = 0; k < 3; k++) {
            double r = meta.maxs()[k] - mins[k];
            range[k] = r == 0 ? 1 : r;
        }
        float[][] sc = meta.scaleBooks();
        float[][] cc = meta.dcBooks();
        float[] op = meta.opacityTable();
        float[] shc = meta.shCodebook();
        for (int r = 0; r < n; r++) {
            int g = (int) (next + r);
            int o = r * stride;
            int lo = meansL[g];
            int hi = meansU[g];
            for (int k = 0; k < 3; k++) {
                int shift = 16 - 8 * k; // ARGB: red at bit 16, green 8, blue 0
                int v = (lo >>> shift & 0xFF) | (hi >>> shift & 0xFF) << 8;
                a[o + k] = (float) invLog(mins[k] + range[k] * (v / 65535.0));
            }
            int q = quats[g];
            int tag = q >>> 24;
            if (tag < 252) {
                a[o + SplatLayout.ROT_W] = 1;
                a[o + SplatLayout.ROT_X] = 0;
                a[o + SplatLayout.ROT_Y] = 0;
                a[o + SplatLayout.ROT_Z] = 0;
            } else {
                int largest = tag - 252;
                double s = 0;
                int at = 0;
                for (int k = 0; k < 3; k++) {
                    int b = q >>> (16 - 8 * k) & 0xFF;
                    parts[k] = (b / 255.0 * 2 - 1) / Math.sqrt(2);
                    s += parts[k] * parts[k];
                }
                for (int comp = 0; comp < 4; comp++) {
                    a[o + SplatLayout.ROT_W + comp] = comp == largest ? (float) Math.sqrt(Math.max(0, 1 - s))
                            : (float) parts[at++];
                }
            }
            int sv = scales[g];
            a[o + SplatLayout.SCALE_0] = sc[0][sv >>> 16 & 0xFF];
            a[o + SplatLayout.SCALE_1] = sc[1][sv >>> 8 & 0xFF];
            a[o + SplatLayout.SCALE_2] = sc[2][sv & 0xFF];
            int c = sh0[g];
            a[o + SplatLayout.DC_0] = cc[0][c >>> 16 & 0xFF];
            a[o + SplatLayout.DC_1] = cc[1][c >>> 8 & 0xFF];
            a[o + SplatLayout.DC_2] = cc[2][c & 0xFF];
            a[o + SplatLayout.OPACITY] = op[c >>> 24];
            if (coeffs > 0) {
                int lab = labels[g];
                int label = (lab >>> 16 & 0xFF) | (lab >>> 8 & 0xFF) << 8;
                int rest = o + SplatLayout.REST;
                if (label >= meta.shCount()) {
                    throw new MalformedInputException(ErrorCode.SOG_BAD_IMAGE, "splat " + g, "SH label " + label
                            + " is beyond the palette of " + meta.shCount());
                }
                int base = (label / 64) * centroidsWidth + (label % 64) * coeffs;
                for (int j = 0; j < coeffs; j++) {
                    int t = centroids[base + j];
                    a[rest + j] = shc[t >>> 16 & 0xFF];
                    a[rest + coeffs + j] = shc[t >>> 8 & 0xFF];
                    a[rest + 2 * coeffs + j] = shc[t & 0xFF];
                }
            }
        }
        next += n;
        batch.setSize(n);
        return n;
    }

    static double invLog(double v) {
        double e = Math.exp(Math.abs(v)) - 1;
        return v < 0 ? -e : e;
    }

    @Override
    public void close() {
    }
}
