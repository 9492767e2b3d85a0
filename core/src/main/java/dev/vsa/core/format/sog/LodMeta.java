package dev.vsa.core.format.sog;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.vsa.core.error.ErrorCode;
import dev.vsa.core.error.MalformedInputException;
import dev.vsa.core.gltf.resource.BoundedJson;
import dev.vsa.core.gltf.resource.JsonBudget;

import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A streamed SOG's {@code lod-meta.json} (the layout splat-transform 3.x writes and the PlayCanvas engine's
 * octree loader streams): {@code lodLevels}; {@code filenames} (SOG units, each holding rows of one level);
 * {@code tree}, a binary tree of {@code {bound: {min, max}, children: [...]}} nodes whose leaves carry
 * {@code lods: {"<level>": {file, offset, count}}} (rows {@code offset..offset+count} of that file); optional
 * {@code environment} (a SOG drawn at every distance). Version 1 adds {@code version}, {@code count} and
 * {@code counts} (rows per level); files from before it (no {@code version}, e.g. the PlayCanvas engine's
 * examples) are read too, as splat-transform does.
 *
 * @param version     1, or 0 when the file has no {@code version}
 * @param generator   {@code asset.generator}, or null
 * @param lodLevels   number of levels (0 is the finest)
 * @param filenames   unit paths relative to lod-meta.json's folder
 * @param fileLevels  the level each file's rows belong to (-1 for a file no leaf names)
 * @param fileRows    rows the leaves take from each file
 * @param counts      rows per level, summed over the leaves (checked against {@code counts} when present)
 * @param leaves      the tree's leaves in order
 * @param nodes       nodes in the tree (leaves included)
 * @param environment the environment SOG's path, or null
 */
record LodMeta(int version, String generator, int lodLevels, List<String> filenames, int[] fileLevels,
               long[] fileRows, long[] counts, List<Leaf> leaves, int nodes, String environment) {
    /** Most levels accepted. */
    static final int MAX_LEVELS = 64;
    /** Largest lod-meta.json read (a set of a billion splats in 8K-splat leaves is about this size). */
    static final int MAX_BYTES = 64 << 20;
    /** Most files a set may name. */
    static final int MAX_FILES = 1 << 20;

    /**
     * One leaf (a streaming chunk): its bounds and, per level, where its rows are.
     *
     * @param min  bound minimum (x, y, z), or null if the node has none
     * @param max  bound maximum, or null
     * @param lods level to reference
     */
    record Leaf(double[] min, double[] max, Map<Integer, Ref> lods) {
    }

    /** Rows {@code offset..offset+count} of file {@code file}. */
    record Ref(int file, long offset, long count) {
    }

    /**
     * Streamed into a tree charged against core's JSON memory budget ({@link JsonBudget}: a quarter of the heap), so
     * megabytes of empty nodes are refused with {@code LIMIT_EXCEEDED} instead of filling the heap. A member named
     * twice in one object is refused: which of the two a reader takes is not defined (splat-transform and the
     * engine take the last, vsa would have to guess which was meant).
     */
    private static final BoundedJson JSON = new BoundedJson(256, MAX_BYTES, true);

    static LodMeta parse(InputStream in) throws IOException {
        JsonNode root;
        try {
            root = JSON.read(in);
        } catch (BoundedJson.OverBudget e) {
            throw new MalformedInputException(ErrorCode.LIMIT_EXCEEDED, e.offset() >= 0 ? "byte " + e.offset() : null,
                    "lod-meta.json " + e.getMessage());
        } catch (JacksonException e) {
            throw BoundedJson.malformed(e, "lod-meta.json", ErrorCode.SOG_BAD_META);
        } catch (CharConversionException e) {
            throw bad("", "lod-meta.json is not JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw bad("", "lod-meta.json must be a JSON object");
        }
        JsonNode v = root.get("version");
        int version = 0;
        if (v != null) {
            if (!v.isInt() || v.intValue() != 1) {
                throw new MalformedInputException(ErrorCode.UNSUPPORTED_FEATURE, "/version",
                        "lod-meta.json version " + v + " is not one vsa reads (1, or none)");
            }
            version = 1;
        }
        JsonNode l = root.get("lodLevels");
        if (l == null || !l.isInt() || l.intValue() < 1 || l.intValue() > MAX_LEVELS) {
            throw bad("/lodLevels", "lodLevels must be an integer 1.." + MAX_LEVELS + ", was " + l);
        }
        int levels = l.intValue();
        JsonNode names = root.get("filenames");
        if (names == null || !names.isArray() || names.size() > MAX_FILES) {
            throw bad("/filenames", "filenames must be an array of at most " + MAX_FILES + " paths");
        }
        List<String> filenames = new ArrayList<>(names.size());
        for (int i = 0; i < names.size(); i++) {
            JsonNode n = names.get(i);
            if (!n.isTextual()) {
                throw bad("/filenames/" + i, "a file name must be a string");
            }
            filenames.add(checkPath(n.textValue(), "/filenames/" + i));
        }
        String env = null;
        JsonNode e = root.get("environment");
        if (e != null && !e.isNull()) {
            if (!e.isTextual()) {
                throw bad("/environment", "environment must be a path or null");
            }
            env = checkPath(e.textValue(), "/environment");
        }
        JsonNode tree = root.get("tree");
        if (tree == null || !tree.isObject()) {
            throw bad("/tree", "tree must be an object");
        }
        int[] fileLevels = new int[filenames.size()];
        java.util.Arrays.fill(fileLevels, -1);
        long[] fileRows = new long[filenames.size()];
        long[] counts = new long[levels];
        List<Leaf> leaves = new ArrayList<>();
        int[] nodes = {0};
        walk(tree, "/tree", levels, fileLevels, fileRows, counts, leaves, nodes);
        JsonNode c = root.get("counts");
        if (c != null) {
            if (!c.isArray() || c.size() != levels) {
                throw bad("/counts", "counts must hold one count per level (" + levels + ")");
            }
            for (int i = 0; i < levels; i++) {
                if (!c.get(i).canConvertToLong() || c.get(i).longValue() != counts[i]) {
                    throw bad("/counts/" + i, "level " + i + " counts " + c.get(i) + " splats, its leaves hold " + counts[i]);
                }
            }
        }
        String generator = root.path("asset").path("generator").isTextual()
                ? root.path("asset").path("generator").textValue() : null;
        return new LodMeta(version, generator, levels, List.copyOf(filenames), fileLevels, fileRows, counts,
                List.copyOf(leaves), nodes[0], env);
    }

    private static void walk(JsonNode node, String at, int levels, int[] fileLevels, long[] fileRows, long[] counts,
                             List<Leaf> leaves, int[] nodes) {
        if (!node.isObject()) {
            throw bad(at, "a tree node must be an object");
        }
        nodes[0]++;
        JsonNode lods = node.get("lods");
        JsonNode children = node.get("children");
        if (lods != null) {
            if (!lods.isObject()) {
                throw bad(at + "/lods", "lods must be an object");
            }
            Map<Integer, Ref> refs = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = lods.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                String where = at + "/lods/" + f.getKey();
                int level;
                try {
                    level = Integer.parseInt(f.getKey());
                } catch (NumberFormatException x) {
                    throw bad(where, "a level key must be an integer, was '" + f.getKey() + "'");
                }
                if (level < 0 || level >= levels) {
                    throw bad(where, "level " + level + " is outside 0.." + (levels - 1));
                }
                JsonNode r = f.getValue();
                long file = integer(r, "file", where);
                long offset = integer(r, "offset", where);
                long count = integer(r, "count", where);
                if (file >= fileLevels.length) {
                    throw bad(where + "/file", "file " + file + " is not among the " + fileLevels.length + " filenames");
                }
                int fi = (int) file;
                if (fileLevels[fi] >= 0 && fileLevels[fi] != level) {
                    throw bad(where + "/file", "file " + file + " holds rows of level " + fileLevels[fi]
                            + " and of level " + level + "; a file belongs to one level");
                }
                fileLevels[fi] = level;
                fileRows[fi] += count;
                counts[level] += count;
                refs.put(level, new Ref(fi, offset, count));
            }
            leaves.add(new Leaf(bound(node, at, "min"), bound(node, at, "max"), refs));
        } else if (children != null) {
            if (!children.isArray()) {
                throw bad(at + "/children", "children must be an array");
            }
            for (int i = 0; i < children.size(); i++) {
                walk(children.get(i), at + "/children/" + i, levels, fileLevels, fileRows, counts, leaves, nodes);
            }
        }
    }

    private static double[] bound(JsonNode node, String at, String key) {
        JsonNode a = node.path("bound").get(key);
        if (a == null) {
            return null;
        }
        if (!a.isArray() || a.size() != 3) {
            throw bad(at + "/bound/" + key, key + " must be 3 numbers");
        }
        double[] out = new double[3];
        for (int k = 0; k < 3; k++) {
            if (!a.get(k).isNumber()) {
                throw bad(at + "/bound/" + key + "/" + k, "not a number: " + a.get(k));
            }
            out[k] = a.get(k).doubleValue();
        }
        return out;
    }

    private static long integer(JsonNode r, String key, String at) {
        JsonNode v = r == null ? null : r.get(key);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0
                || v.longValue() > SogMeta.MAX_COUNT) {
            throw bad(at + "/" + key, key + " must be an integer 0.." + SogMeta.MAX_COUNT + ", was " + v);
        }
        return v.longValue();
    }

    /** A path relative to lod-meta.json's folder: plain names joined by '/', no '..', no scheme, no root. */
    static String checkPath(String p, String at) {
        if (p.isEmpty() || p.length() > 1024 || p.startsWith("/") || p.contains("\\") || p.indexOf(':') >= 0
                || p.chars().anyMatch(ch -> ch < 0x20)) {
            throw bad(at, "'" + p + "' must be a relative path inside the set's folder");
        }
        for (String part : p.split("/", -1)) {
            if (part.isEmpty() || part.equals("..") || part.equals(".")) {
                throw bad(at, "'" + p + "' must be a relative path inside the set's folder");
            }
        }
        return p;
    }

    private static MalformedInputException bad(String pointer, String message) {
        return new MalformedInputException(ErrorCode.SOG_BAD_META, pointer.isEmpty() ? null : pointer, message);
    }
}
