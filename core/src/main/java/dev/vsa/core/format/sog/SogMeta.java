package dev.vsa.core.format.sog;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vsa.core.error.ErrorCode;
import dev.vsa.core.error.MalformedInputException;

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
               int shCount, int shBands, float[] shCodebook, String shCentroidsFile, String shLabelsFile) {
    /** Entries of each codebook. */
    static final int CODEBOOK = 256;
    /** Largest SH palette (labels are 16 bits). */
    static final int MAX_PALETTE = 65536;
    /** Most splats one SOG holds (one WebP texel each). */
    static final long MAX_COUNT = (long) Webp.MAX_SIDE * Webp.MAX_SIDE;

    private static final ObjectMapper JSON = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16).maxStringLength(1 << 16)
                    .maxNumberLength(64).build())
            .build()).configure(JsonParser.Feature.STRICT_DUPLICATE_DETECTION, true);

    static SogMeta parse(byte[] bytes) {
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (IOException e) {
            throw new MalformedInputException(ErrorCode.SOG_BAD_META, null, "meta.json is not JSON: "
                    + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            throw bad("", "meta.json must be a JSON object");
        }
        JsonNode version = root.get("version");
        if (version == null) {
            throw new MalformedInputException(ErrorCode.UNSUPPORTED_FEATURE, "/version",
                    "SOG version 1 (meta.json without 'version') is not read by vsa; re-export it as version 2");
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
        return new SogMeta(c.longValue(), mins, maxs, meansFiles, numbers(scales, "/scales", "codebook", CODEBOOK),
                files(scales, "/scales", 1).get(0), files(quats, "/quats", 1).get(0),
                numbers(sh0, "/sh0", "codebook", CODEBOOK), files(sh0, "/sh0", 1).get(0), shCount, shBands, shCodebook,
                shBands > 0 ? shFiles.get(0) : null, shBands > 0 ? shFiles.get(1) : null);
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
