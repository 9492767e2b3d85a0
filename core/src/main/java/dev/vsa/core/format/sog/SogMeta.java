package dev.vsa.core.format.sog;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.vsa.core.error.ErrorCode;
import dev.vsa.core.error.MalformedInputException;
import dev.vsa.core.gltf.resource.BoundedJson;

import java.io.IOException;
import java.util.List;

/**
 * SOG {@code meta.json}, version 2 (the layout splat-transform 3.x writes and the PlayCanvas engine reads):
 * {@code count}; {@code means} {mins, maxs (3 each, of sign(x)*ln(|x|+1)), files [means_l, means_u]};
 * {@code scales} {codebook (256 log-scales), files [scales]}; {@code quats} {files [quats]}; {@code sh0}
 * {codebook (256 f_dc values), files [sh0]}; optional {@code shN} {count (palette size), bands (1-3), codebook
 * (256 values), files [centroids, labels]}.
 */
record SogMeta(long count, double[] mins, double[] maxs, List<String> meansFiles, float[] scalesCodebook,
               String scalesFile, String quatsFile, float[] sh0Codebook, String sh0File,
               int shCount, int shBands, float[] shCodebook, String shCentroidsFile, String shLabelsFile,
               int version, float[][] scaleBooks, float[][] dcBooks, float[] opacityTable) {
    /** {@code shBands} of a version 1 file with SH: known only from the centroids image's width. */
    static final int BANDS_FROM_IMAGE = -1;

    /** The SH bands and palette size of a version 1 file, once its centroids image is measured. */
    SogMeta withSh(int bands, int paletteCount) {
        return new SogMeta(count, mins, maxs, meansFiles, scalesCodebook, scalesFile, quatsFile, sh0Codebook, sh0File,
                paletteCount, bands, shCodebook, shCentroidsFile, shLabelsFile, version, scaleBooks, dcBooks,
                opacityTable);
    }

    /** Opacity (logit) of each alpha byte of a version 2 file: {@code logit(a / 255)}, clamped to 1e-6. */
    static float[] logitTable() {
        float[] t = new float[256];
        for (int a = 0; a < 256; a++) {
            double alpha = Math.min(1 - 1e-6, Math.max(1e-6, a / 255.0));
            t[a] = (float) Math.log(alpha / (1 - alpha));
        }
        return t;
    }

    /** 256 values {@code min + (max - min) * i / 255}: a version 1 file's linear 8-bit quantization as a codebook. */
    static float[] linear(double min, double max) {
        float[] t = new float[256];
        for (int i = 0; i < 256; i++) {
            t[i] = (float) (min + (max - min) * (i / 255.0));
        }
        return t;
    }

    /** Entries of each codebook. */
    static final int CODEBOOK = 256;
    /** Largest SH palette (labels are 16 bits). */
    static final int MAX_PALETTE = 65536;
    /** Most splats one SOG holds (one WebP texel each). */
    static final long MAX_COUNT = (long) Webp.MAX_SIDE * Webp.MAX_SIDE;

    /**
     * meta.json is streamed into a tree ({@link BoundedJson}), not read through an ObjectMapper: constructing one
     * initialises much of jackson-databind (type factory, serializer and deserializer caches) in every fresh JVM
     * that opens a SOG, for a file of a few KB. A member named twice is refused, as before.
     */
    private static final BoundedJson JSON = new BoundedJson(16, SogFiles.MAX_META_BYTES, true);

    /** The JSON value of {@code bytes} as a tree; null if there is none. */
    static JsonNode tree(byte[] bytes) throws IOException {
        return JSON.read(new java.io.ByteArrayInputStream(bytes));
    }

    static SogMeta parse(byte[] bytes) {
        JsonNode root;
        try {
            root = tree(bytes);
        } catch (JacksonException e) {
            throw BoundedJson.malformed(e, "meta.json", ErrorCode.SOG_BAD_META);
        } catch (IOException e) {
            throw new MalformedInputException(ErrorCode.SOG_BAD_META, null, "meta.json is not JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw bad("", "meta.json must be a JSON object");
        }
        JsonNode version = root.get("version");
        if (version == null) {
            return parseV1(root);
        }
        if (!version.isInt() || version.intValue() != 2) {
            throw bad("/version", "SOG version " + version + " is not one vsa reads (2)");
        }
        JsonNode c = root.get("count");
        if (c == null || !c.canConvertToLong() || !c.isIntegralNumber() || c.longValue() < 0 || c.longValue() > MAX_COUNT) {
            throw bad("/count", "count must be an integer 0.." + MAX_COUNT + ", was " + c);
        }
        JsonNode means = object(root, "means");
        double[] mins = doubles(array(means, "/means", "mins", 3));
        double[] maxs = doubles(array(means, "/means", "maxs", 3));
        List<String> meansFiles = files(means, "/means", 2);
        JsonNode scales = object(root, "scales");
        JsonNode quats = object(root, "quats");
        JsonNode sh0 = object(root, "sh0");
        int shCount = 0;
        int shBands = 0;
        float[] shCodebook = null;
        List<String> shFiles = List.of();
        JsonNode shN = root.get("shN");
        if (shN != null && !shN.isNull()) {
            if (!shN.isObject()) {
                throw bad("/shN", "shN must be an object");
            }
            JsonNode b = shN.get("bands");
            if (b == null || !b.isInt() || b.intValue() < 0 || b.intValue() > 3) {
                throw bad("/shN/bands", "bands must be 0..3, was " + b);
            }
            JsonNode n = shN.get("count");
            if (n == null || !n.isInt() || n.intValue() < 1 || n.intValue() > MAX_PALETTE) {
                throw bad("/shN/count", "count must be 1.." + MAX_PALETTE + ", was " + n);
            }
            shBands = b.intValue();
            if (shBands > 0) {
                shCount = n.intValue();
                shCodebook = numbers(shN, "/shN", "codebook", CODEBOOK);
                shFiles = files(shN, "/shN", 2);
            }
        }
        float[] sc = numbers(scales, "/scales", "codebook", CODEBOOK);
        float[] cc = numbers(sh0, "/sh0", "codebook", CODEBOOK);
        return new SogMeta(c.longValue(), mins, maxs, meansFiles, sc,
                files(scales, "/scales", 1).get(0), files(quats, "/quats", 1).get(0),
                cc, files(sh0, "/sh0", 1).get(0), shCount, shBands, shCodebook,
                shBands > 0 ? shFiles.get(0) : null, shBands > 0 ? shFiles.get(1) : null,
                2, new float[][]{sc, sc, sc}, new float[][]{cc, cc, cc}, logitTable());
    }

    /**
     * Version 1 (no {@code version}; splat-transform before 0.16 and the PlayCanvas engine's older examples):
     * {@code means {shape [count, 3], mins, maxs, files}} as in version 2; {@code scales} and {@code sh0} are 8-bit
     * linear per channel between {@code mins} and {@code maxs} (sh0's fourth channel is the opacity logit);
     * {@code shN {mins, maxs (one number each), files [centroids, labels]}}, its bands known from the centroids
     * image's width (64 entries a row of 3, 8 or 15 texels), the palette as large as that image holds.
     */
    private static SogMeta parseV1(JsonNode root) {
        JsonNode means = object(root, "means");
        JsonNode shape = means.get("shape");
        if (shape == null || !shape.isArray() || shape.size() < 1 || !shape.get(0).canConvertToLong()
                || !shape.get(0).isIntegralNumber() || shape.get(0).longValue() < 0
                || shape.get(0).longValue() > MAX_COUNT) {
            throw bad("/means/shape", "a version 1 meta.json gives the count as means.shape[0] (0.." + MAX_COUNT
                    + "), was " + shape);
        }
        long count = shape.get(0).longValue();
        double[] mins = doubles(array(means, "/means", "mins", 3));
        double[] maxs = doubles(array(means, "/means", "maxs", 3));
        List<String> meansFiles = files(means, "/means", 2);
        JsonNode scales = object(root, "scales");
        double[] smin = doubles(array(scales, "/scales", "mins", 3));
        double[] smax = doubles(array(scales, "/scales", "maxs", 3));
        JsonNode quats = object(root, "quats");
        JsonNode sh0 = object(root, "sh0");
        double[] cmin = doubles(array(sh0, "/sh0", "mins", 4));
        double[] cmax = doubles(array(sh0, "/sh0", "maxs", 4));
        float[][] scaleBooks = new float[3][];
        float[][] dcBooks = new float[3][];
        for (int k = 0; k < 3; k++) {
            scaleBooks[k] = linear(smin[k], smax[k]);
            dcBooks[k] = linear(cmin[k], cmax[k]);
        }
        float[] shBook = null;
        List<String> shFiles = List.of();
        JsonNode shN = root.get("shN");
        if (shN != null && !shN.isNull()) {
            if (!shN.isObject()) {
                throw bad("/shN", "shN must be an object");
            }
            JsonNode lo = shN.get("mins");
            JsonNode hi = shN.get("maxs");
            if (lo == null || hi == null || !lo.isNumber() || !hi.isNumber()) {
                throw bad("/shN", "a version 1 shN has one number each in mins and maxs");
            }
            shBook = linear(lo.doubleValue(), hi.doubleValue());
            shFiles = files(shN, "/shN", 2);
        }
        boolean sh = shBook != null;
        return new SogMeta(count, mins, maxs, meansFiles, scaleBooks[0], files(scales, "/scales", 1).get(0),
                files(quats, "/quats", 1).get(0), dcBooks[0], files(sh0, "/sh0", 1).get(0), 0,
                sh ? BANDS_FROM_IMAGE : 0, shBook, sh ? shFiles.get(0) : null, sh ? shFiles.get(1) : null, 1,
                scaleBooks, dcBooks, linear(cmin[3], cmax[3]));
    }

    private static JsonNode object(JsonNode parent, String key) {
        JsonNode n = parent.get(key);
        if (n == null || !n.isObject()) {
            throw bad("/" + key, key + " must be an object");
        }
        return n;
    }

    private static double[] doubles(JsonNode a) {
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).doubleValue();
        }
        return out;
    }

    private static float[] floats(JsonNode a) {
        float[] out = new float[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) a.get(i).doubleValue();
        }
        return out;
    }

    private static float[] numbers(JsonNode parent, String at, String key, int count) {
        return floats(array(parent, at, key, count));
    }

    private static JsonNode array(JsonNode parent, String at, String key, int count) {
        JsonNode a = parent.get(key);
        if (a == null || !a.isArray() || a.size() != count) {
            throw bad(at + "/" + key, key + " must be an array of " + count + " numbers");
        }
        for (int i = 0; i < count; i++) {
            JsonNode v = a.get(i);
            if (!v.isNumber() || !Float.isFinite((float) v.doubleValue())) {
                throw bad(at + "/" + key + "/" + i, "not a finite number: " + v);
            }
        }
        return a;
    }

    private static List<String> files(JsonNode parent, String at, int count) {
        JsonNode a = parent.get("files");
        if (a == null || !a.isArray() || a.size() < count) {
            throw bad(at + "/files", "files must name " + count + " image(s)");
        }
        String[] out = new String[count];
        for (int i = 0; i < count; i++) {
            if (!a.get(i).isTextual()) {
                throw bad(at + "/files/" + i, "file name must be a string");
            }
            out[i] = a.get(i).textValue();
            SogFiles.checkName(out[i]);
        }
        return List.of(out);
    }

    private static MalformedInputException bad(String pointer, String message) {
        return new MalformedInputException(ErrorCode.SOG_BAD_META, pointer.isEmpty() ? null : pointer, message);
    }
}
