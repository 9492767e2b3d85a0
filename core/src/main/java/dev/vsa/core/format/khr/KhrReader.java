package dev.vsa.core.format.khr;

import com.fasterxml.jackson.databind.JsonNode;

import dev.vsa.core.error.ErrorCode;
import dev.vsa.core.error.MalformedInputException;
import dev.vsa.core.format.util.BatchChecks;
import dev.vsa.core.format.util.BoundedInputStream;
import dev.vsa.core.gltf.resource.BoundedJson;
import dev.vsa.core.gltf.resource.Glb;
import dev.vsa.core.gltf.resource.Json;
import dev.vsa.core.gltf.resource.GltfUris;
import dev.vsa.core.splat.SplatBatch;
import dev.vsa.core.splat.SplatFileInfo;
import dev.vsa.core.splat.SplatFormat;
import dev.vsa.core.splat.SplatLayout;
import dev.vsa.core.splat.SplatReader;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the {@code KHR_gaussian_splatting} primitives of a GLB or .gltf file (buffers in the GLB's BIN chunk, in a
 * {@code data:} URI, or in a file beside the .gltf), following the extension's text in KhronosGroup/glTF at commit
 * 77b44be7 ("Release Candidate", editorial review #2567).
 *
 * <p>Every splat primitive of every mesh instance in the default scene (or, without scenes, of every mesh once) is
 * read, in node order, into one stream of rows whose SH degree is the highest any primitive has (lower ones are
 * padded with zeros). Node transforms are baked into the rows: a node's global matrix must be a rotation, a
 * uniform positive scale and a translation (as the extension asks); positions, rotations, scales and SH (rotated
 * per band) are transformed. Other matrices are reported as unsupported.
 *
 * <p>Frame: glTF is right-handed, +Y up, +Z forward, so x points left (LUF); the 3DGS PLY is RDF. The two differ by
 * a half turn about Z, which this reader undoes: x and y are negated, the quaternion is premultiplied by
 * (0, 0, 0, 1) (a half turn about z: {@code (w, x, y, z) -> (z', y', -x', -w')} from glTF's x' y' z' w'), and SH
 * coefficients odd in exactly one of x, y change sign. This is also what splat-transform 3.7.0 writes.
 * Scales are linear in glTF (logged here), opacity is linear (logit here), rotation order is x y z w.
 */
final class KhrReader implements SplatReader {
    static final String EXT = "KHR_gaussian_splatting";
    static final String PREFIX = EXT + ":";
    /** SPZ inside KHR_gaussian_splatting (draft, KhronosGroup/glTF PR #2531), nested in the base extension. */
    static final String SPZ_2 = "KHR_gaussian_splatting_compression_spz_2";
    /** The same without the version suffix (earlier drafts; cesium-native reads it too). */
    static final String SPZ_UNVERSIONED = "KHR_gaussian_splatting_compression_spz";
    /** The original draft: directly on the primitive, attributes named {@code _SCALE}, {@code _SH_DEGREE_l_COEF_n}. */
    static final String SPZ_LEGACY = "KHR_spz_gaussian_splats_compression";
    /** The JSON of a GLB, or a whole .gltf, is parsed in memory: capped at this. */
    static final long MAX_JSON = 256L << 20;
    static final int MAX_NODE_DEPTH = 64;
    static final long MAX_SPLATS = Integer.MAX_VALUE;
    static final String MAX_INSTANCES_PROPERTY = "vsa.gltf.max-instances";
    static final String MAX_TOTAL_SPLATS_PROPERTY = "vsa.gltf.max-splats";
    private static final BoundedJson JSON = new BoundedJson(256, MAX_JSON);
    /** Signs of the SH coefficients under the half turn about z between the PLY's frame and glTF's. */
    private static final float[] SH_SIGNS = dev.vsa.core.format.util.AxisFlips.shSigns(-1f, -1f, 1f);

    private final Path path;
    private final List<java.io.Closeable> channels;
    private final List<Prim> prims = new ArrayList<>();
    private final SplatFileInfo info;
    private int current;
    private long doneInPrim;

    /** One buffer's bytes: a channel region or an array. */
    private record Buffer(FileChannel channel, long offset, long length, byte[] bytes) {
        void read(long pos, ByteBuffer dst) throws IOException {
            if (bytes != null) {
                dst.put(bytes, (int) pos, dst.remaining());
                return;
            }
            long p = offset + pos;
            while (dst.hasRemaining()) {
                int n = channel.read(dst, p);
                if (n < 0) {
                    throw MalformedInputException.atByte(ErrorCode.TRUNCATED, p, "the buffer ends early");
                }
                p += n;
            }
        }
    }

    /** An accessor resolved to its buffer: where element i starts, its layout. */
    private record Accessor(String pointer, Buffer buffer, long start, int stride, int componentType,
                            int components, boolean normalized, long count) {
        int componentSize() {
            return switch (componentType) {
                case 5120, 5121 -> 1;
                case 5122, 5123 -> 2;
                default -> 4;
            };
        }

        int elementSize() {
            return componentSize() * components;
        }

        /** Reads elements [first, first + n) as floats into out[i * components + c]. */
        void read(long first, int n, float[] out, ByteBuffer scratch) throws IOException {
            int span = (n - 1) * stride + elementSize();
            scratch.clear().limit(span);
            buffer.read(start + first * stride, scratch);
            scratch.flip();
            int cs = componentSize();
            for (int i = 0; i < n; i++) {
                int base = i * stride;
                for (int c = 0; c < components; c++) {
                    int p = base + c * cs;
                    out[i * components + c] = switch (componentType) {
                        case 5126 -> scratch.getFloat(p);
                        case 5120 -> normalized ? Math.max(scratch.get(p) / 127f, -1f) : scratch.get(p);
                        case 5121 -> normalized ? (scratch.get(p) & 0xff) / 255f : scratch.get(p) & 0xff;
                        case 5122 -> normalized ? Math.max(scratch.getShort(p) / 32767f, -1f) : scratch.getShort(p);
                        case 5123 -> normalized ? (scratch.getShort(p) & 0xffff) / 65535f : scratch.getShort(p) & 0xffff;
                        case 5125 -> Integer.toUnsignedLong(scratch.getInt(p));
                        default -> throw new IllegalStateException("component type " + componentType);
                    };
                }
            }
        }
    }

    /** One splat primitive instance. */
    private record Prim(String pointer, long count, int degree, Accessor position, Accessor rotation, Accessor scale,
                        Accessor opacity, Accessor[] sh, Similarity transform, SpzPayload spz) {
    }

    /**
     * One SPZ payload (a buffer view's bytes), shared by every primitive instance naming those bytes: checked once
     * when the file is opened, then read in place (a data URI's from one temporary copy): a payload several instances
     * use is decoded once into rows kept until its last instance (within {@link #decodedBudget()}), any other by a
     * reader opened for each instance as it is read and closed after it; nothing is kept per instance.
     * Values of a payload that declares no frame are glTF's own (LUF), as cesium-native and CesiumJS read them
     * (unpacking with the library's UNSPECIFIED frame, i.e. no conversion); a declared frame is converted by the
     * SPZ reader.
     */
    private record SpzPayload(String pointer, FileChannel channel, long offset, long length, long count, int degree,
                              boolean gltfFrame) {
        /** @param countCheck sees the header's count before the payload is inflated */
        SplatReader open(java.util.function.LongConsumer countCheck) throws IOException {
            try {
                // a buffer view padded to 4 bytes (3d-tiles-tools' legacy files): the padding is not SPZ data
                return new dev.vsa.core.format.spz.SpzCodec().openRegion(channel, offset, length, 3, "the SPZ payload", countCheck);
            } catch (MalformedInputException e) {
                if (e.code() == ErrorCode.GLTF_BAD_SPLAT_ATTRIBUTE) {
                    throw e; // the primitive's own check, already pointing at its attributes
                }
                throw new MalformedInputException(e.code(), pointer + " (SPZ payload" + (e.where() == null ? "" : ", " + e.where()) + ")",
                        e.getMessage(), e);
            }
        }
    }

    /**
     * The bytes an SPZ payload is read from (a file's channel, or a data URI's array, by identity; the offset within
     * it): equal keys are one payload, however many buffers, views or instances name them.
     */
    private record SpzBytes(FileChannel channel, byte[] data, long offset, long length) {
    }

    /** Payloads checked so far, by their bytes. */
    private final Map<SpzBytes, SpzPayload> spzPayloads = new java.util.HashMap<>();
    /** Instances still to read per payload (an instanced one's rows are decoded once, see {@link #readSpz}). */
    private final Map<SpzPayload, Integer> spzUses = new java.util.IdentityHashMap<>();
    /** Bytes of data URIs copied to temporary files for their SPZ payloads, per decoded data URI. */
    private final Map<byte[], Long> spzCopied = new java.util.IdentityHashMap<>();

    private KhrReader(Path path, List<java.io.Closeable> channels) throws IOException {
        this.path = path;
        this.channels = channels;
        channels.add(this::closeSpzReader); // the first SPZ payload's check reader, if never read
        FileChannel main = FileChannel.open(path, StandardOpenOption.READ);
        channels.add(main);
        long fileSize = main.size();
        if (fileSize == 0) {
            throw new MalformedInputException(ErrorCode.EMPTY_FILE, null, path.getFileName() + " is empty");
        }
        JsonNode root;
        Buffer bin = null;
        ByteBuffer head = ByteBuffer.allocate((int) Math.min(4, fileSize));
        read(main, head, 0);
        boolean glb = Glb.hasMagic(head);
        if (glb) {
            Glb.Layout layout = Glb.open(main, MAX_JSON);
            root = JSON.readObject(Glb.data(main, layout.json()), "the GLB's JSON chunk");
            if (layout.bin() != null) {
                bin = new Buffer(main, layout.bin().dataOffset(), layout.bin().length(), null);
            }
        } else {
            if (fileSize > MAX_JSON) {
                throw new MalformedInputException(ErrorCode.LIMIT_EXCEEDED, null, "a .gltf JSON of " + fileSize + " bytes (at most " + MAX_JSON + ")");
            }
            root = parse(main, 0, fileSize, "the glTF JSON");
        }
        if (!root.isObject()) {
            throw new MalformedInputException(ErrorCode.GLTF_BAD_JSON, "/", "the glTF JSON is not an object");
        }
        List<Buffer> buffers = buffers(root, bin, glb);
        collectPrims(root, buffers);
        long total = 0;
        int degree = 0;
        for (Prim p : prims) {
            total += p.count;
            degree = Math.max(degree, p.degree);
        }
        if (total > MAX_SPLATS) {
            throw new MalformedInputException(ErrorCode.LIMIT_EXCEEDED, null, total + " splats (at most " + MAX_SPLATS + ")");
        }
        if (prims.isEmpty() && !usesExtension(root)) {
            throw new MalformedInputException(ErrorCode.GLTF_NO_SPLATS, "/meshes", "no primitive has the " + EXT + " extension");
        }
        String variant = glb ? "glb" : bin == null && buffers.stream().anyMatch(b -> b.bytes != null) ? "gltf, embedded" : "gltf";
        info = new SplatFileInfo(glb ? SplatFormat.GLB : SplatFormat.GLTF, glb ? 2 : 0,
                variant + ", " + prims.size() + " primitive" + (prims.size() == 1 ? "" : "s"), total,
                SplatLayout.of(degree), fileSize);
    }

    /**
     * Opens a GLB or .gltf; the JSON, buffers, accessors and node transforms are checked here.
     *
     * @throws MalformedInputException if the file is not a readable glTF with splats
     */
    static KhrReader open(Path path) throws IOException {
        List<java.io.Closeable> channels = new ArrayList<>();
        try {
            return new KhrReader(path, channels);
        } catch (IOException | RuntimeException e) {
            for (java.io.Closeable c : channels) {
                c.close();
            }
            throw e;
        }
    }

    private static boolean usesExtension(JsonNode root) {
        for (JsonNode e : root.path("extensionsUsed")) {
            if (EXT.equals(e.asText()) || SPZ_LEGACY.equals(e.asText())) {
                return true;
            }
        }
        return false;
    }

    /** The JSON streamed from the file, within the {@link dev.vsa.core.gltf.resource.JsonBudget}. */
    private static JsonNode parse(FileChannel ch, long offset, long length, String what) throws IOException {
        return JSON.readObject(new BufferedInputStream(new BoundedInputStream(Channels.newInputStream(ch.position(offset)),
                length), 1 << 16), what);
    }

    private static void read(FileChannel ch, ByteBuffer dst, long pos) throws IOException {
        while (dst.hasRemaining()) {
            int n = ch.read(dst, pos);
            if (n < 0) {
                break;
            }
            pos += n;
        }
        dst.flip();
    }

    /**
     * The buffers, each a region of its file or data URI. Buffers naming the same file share its one channel, and
     * identical data URIs are decoded once: a glTF may list many thousands of buffers naming one .bin, which must not
     * hold as many open files (nor its SPZ payloads be checked once per buffer, see {@link SpzBytes}).
     */
    private List<Buffer> buffers(JsonNode root, Buffer bin, boolean glb) throws IOException {
        List<Buffer> out = new ArrayList<>();
        Map<String, Buffer> byUri = new java.util.HashMap<>();
        Map<Path, Buffer> byFile = new java.util.HashMap<>();
        JsonNode arr = root.path("buffers");
        for (int i = 0; i < arr.size(); i++) {
            JsonNode b = arr.get(i);
            String ptr = "/buffers/" + i;
            long declared = Json.longOr(b, "byteLength", -1);
            if (declared < 0) {
                throw new MalformedInputException(ErrorCode.GLTF_BAD_REFERENCE, ptr + "/byteLength", "missing or negative byteLength");
            }
            Buffer buf;
            if (!b.has("uri")) {
                if (!glb || i != 0 || bin == null) {
                    throw new MalformedInputException(ErrorCode.GLTF_BAD_REFERENCE, ptr, "a buffer without uri needs the GLB's BIN chunk");
                }
                buf = bin;
            } else {
                String uri = b.get("uri").asText();
                buf = byUri.get(uri);
                if (buf == null) {
                    if (GltfUris.isDataUri(uri)) {
                        byte[] bytes = GltfUris.dataUriBytes(uri, ptr + "/uri");
                        buf = new Buffer(null, 0, bytes.length, bytes);
                    } else {
                        buf = external(uri, ptr, byFile);
                    }
                    byUri.put(uri, buf);
                }
            }
            if (declared > buf.length) {
                throw new MalformedInputException(ErrorCode.GLTF_BAD_REFERENCE, ptr + "/byteLength",
                        "byteLength " + declared + " but the data holds " + buf.length + " bytes");
            }
            out.add(new Buffer(buf.channel, buf.offset, declared, buf.bytes));
        }
        return out;
    }

    /**
     * A relative URI to a file inside this one's folder ({@link GltfUris#resolve}: links followed too), opened once
     * per real path (other spellings of the name, and links to it, share {@code opened}'s channel).
     */
    private Buffer external(String uri, String ptr, Map<Path, Buffer> opened) throws IOException {
        Path file = GltfUris.file(path.toAbsolutePath().getParent(), uri, ptr + "/uri");
        Path real;
        FileChannel ch;
        try {
            real = file.toRealPath();
            Buffer known = opened.get(real);
            if (known != null) {
                return known;
            }
            ch = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new MalformedInputException(ErrorCode.GLTF_BAD_REFERENCE, ptr + "/uri", uri + " does not exist");
        }
        channels.add(ch);
        Buffer buf = new Buffer(ch, 0, ch.size(), null);
        opened.put(real, buf);
        return buf;
    }

    private void collectPrims(JsonNode root, List<Buffer> buffers) {
        JsonNode meshes = root.path("meshes");
        JsonNode scenes = root.path("scenes");
        if (scenes.isArray() && scenes.size() > 0) {
            int s = Json.intOr(root, "scene", 0);
            if (s < 0 || s >= scenes.size()) {
                throw new MalformedInputException(ErrorCode.GLTF_BAD_REFERENCE, "/scene", "scene " + s + " does not exist");
            }
            checkInstances(root, scenes.get(s).path("nodes"));
            Set<Integer> onPath = new HashSet<>();
            for (JsonNode n : scenes.get(s).path("nodes")) {
                visit(root, Json.intValue(n, -1), identity(), buffers, onPath, 0);
            }
        } else {
            long instances = 0;
            long splats = 0;
            for (JsonNode mesh : meshes) {
                long[] c = meshCounts(root, mesh);
                instances = add(instances, c[0]);
                splats = add(splats, c[1]);
            }
            checkLimits("/meshes", instances, splats);
            for (int m = 0; m < meshes.size(); m++) {
                addMesh(root, m, null, buffers);
            }
        }
    }

    /** Most splat primitive instances a scene may expand to (system property {@value #MAX_INSTANCES_PROPERTY}). */
    static long maxInstances() {
        return Long.getLong(MAX_INSTANCES_PROPERTY, 10_000);
    }

    /** Most splats a scene may expand to, instances counted (system property {@value #MAX_TOTAL_SPLATS_PROPERTY}). */
    static long maxTotalSplats() {
        return Long.getLong(MAX_TOTAL_SPLATS_PROPERTY, 100_000_000);
    }

    /**
     * Counts the splat primitives and splats the scene expands to before expanding it, in O(nodes + children) with
     * each node's sums kept: a node listing a child twice, 40 levels deep, is 2^40 instances, and 200,000 nodes
     * sharing one splat mesh 200,000 copies of it. Both are refused against the limits with {@code LIMIT_EXCEEDED}.
     */
    private static void checkInstances(JsonNode root, JsonNode sceneNodes) {
        JsonNode nodes = root.path("nodes");
        long[][] memo = new long[nodes.size()][];
        boolean[] onPath = new boolean[nodes.size()];
        long instances = 0;
        long splats = 0;
        for (JsonNode n : sceneNodes) {
            long[] c = count(root, Json.intValue(n, -1), memo, onPath, 0);
            instances = add(instances, c[0]);
            splats = add(splats, c[1]);
        }
        checkLimits("/nodes", instances, splats);
    }

    /** Refuses a scene past the instance or splat limit, before any of it is expanded or any payload opened. */
    private static void checkLimits(String ptr, long instances, long splats) {
        long maxInstances = maxInstances();
        if (instances > maxInstances) {
            throw new MalformedInputException(ErrorCode.LIMIT_EXCEEDED, ptr, "the scene instances splat meshes "
                    + (instances == Long.MAX_VALUE ? "more than 2^63" : String.valueOf(instances)) + " times, more than the "
                    + maxInstances + " vsa expands (raise with -D" + MAX_INSTANCES_PROPERTY + ")");
        }
        long maxSplats = maxTotalSplats();
        if (splats > maxSplats) {
            throw new MalformedInputException(ErrorCode.LIMIT_EXCEEDED, ptr, "the scene expands to " + splats
                    + " splats, more than the " + maxSplats + " vsa reads (raise with -D" + MAX_TOTAL_SPLATS_PROPERTY + ")");
        }
    }

    /** {instances, splats} under node {@code index}, instances counted; bad indexes count nothing (visit reports them). */
    private static long[] count(JsonNode root, int index, long[][] memo, boolean[] onPath, int depth) {
        if (index < 0 || index >= memo.length) {
            return new long[2];
        }
        if (memo[index] != null) {
            return memo[index];
        }
        if (depth > MAX_NODE_DEPTH || onPath[index]) {
            throw new MalformedInputException(ErrorCode.GLTF_BAD_REFERENCE, "/nodes/" + index,
                    "the node hierarchy has a cycle or is deeper than " + MAX_NODE_DEPTH);
        }
        onPath[index] = true;
        JsonNode node = root.path("nodes").get(index);
        long[] own = meshCounts(root, root.path("meshes").path(Json.intOr(node, "mesh", -1)));
        long instances = own[0];
        long splats = own[1];
        for (JsonNode c : node.path("children")) {
            long[] sub = count(root, Json.intValue(c, -1), memo, onPath, depth + 1);
            instances = add(instances, sub[0]);
            splats = add(splats, sub[1]);
        }
        onPath[index] = false;
        memo[index] = new long[] {instances, splats};
        return memo[index];
    }

    /** {splat primitives, splats} of one mesh, as its POSITION accessors declare them. */
    private static long[] meshCounts(JsonNode root, JsonNode mesh) {
        long instances = 0;
        long splats = 0;
        for (JsonNode prim : mesh.path("primitives")) {
            if (isSplatPrimitive(prim)) {
                instances++;
                JsonNode position = root.path("accessors").path(Json.intOr(prim.path("attributes"), "POSITION", -1));
                splats = add(splats, Math.max(0, Json.longOr(position, "count", 0)));
            }
        }
        return new long[] {instances, splats};
    }

    private static long add(long a, long b) {
        long s = a + b;
        return s < 0 ? Long.MAX_VALUE : s;
    }

    private static double[] identity() {
        return new double[] {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
    }

    private void visit(JsonNode root, int index, double[] parent, List<Buffer> buffers, Set<Integer> onPath, int depth) {
        JsonNode nodes = root.path("nodes");
        String ptr = "/nodes/" + index;
        if (index < 0 || index >= nodes.size()) {
            throw new MalformedInputException(ErrorCode.GLTF_BAD_REFERENCE, ptr, "node " + index + " does not exist");
        }
        if (depth > MAX_NODE_DEPTH || !onPath.add(index)) {
            throw new MalformedInputException(ErrorCode.GLTF_BAD_REFERENCE, ptr, "the node hierarchy has a cycle or is deeper than " + MAX_NODE_DEPTH);
        }
        JsonNode node = nodes.get(index);
        double[] global = multiply(parent, local(node, ptr));
        if (node.has("mesh")) {
            int m = Json.intOr(node, "mesh", -1);
            if (m < 0 || m >= root.path("meshes").size()) {
                throw new MalformedInputException(ErrorCode.GLTF_BAD_REFERENCE, ptr + "/mesh", "mesh " + m + " does not exist");
            }
            addMesh(root, m, isIdentity(global) ? null : similarity(global, ptr), buffers);
        }
        for (JsonNode c : node.path("children")) {
            visit(root, Json.intValue(c, -1), global, buffers, onPath, depth + 1);
        }
        onPath.remove(index);
    }

    /** A node's local matrix, column-major as glTF stores it. */
    private static double[] local(JsonNode node, String ptr) {
        if (node.has("matrix")) {
            JsonNode m = node.get("matrix");
            if (m.size() != 16) {
                throw new MalformedInputException(ErrorCode.GLTF_BAD_REFERENCE, ptr + "/matrix", "a matrix needs 16 numbers");
            }
            double[] out = new double[16];
            for (int i = 0; i < 16; i++) {
                out[i] = m.get(i).asDouble();
            }
            return out;
        }
        double[] t = vec(node.path("translation"), new double[] {0, 0, 0});
        double[] r = vec(node.path("rotation"), new double[] {0, 0, 0, 1});
        double[] s = vec(node.path("scale"), new double[] {1, 1, 1});
        double x = r[0], y = r[1], z = r[2], w = r[3];
        double[][] rm = {
            {1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)},
            {2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)},
            {2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)}};
        double[] out = new double[16];
        for (int col = 0; col < 3; col++) {
            for (int row = 0; row < 3; row++) {
                out[col * 4 + row] = rm[row][col] * s[col];
            }
        }
        out[12] = t[0];
        out[13] = t[1];
        out[14] = t[2];
        out[15] = 1;
        return out;
    }

    private static double[] vec(JsonNode n, double[] dflt) {
        if (!n.isArray() || n.size() != dflt.length) {
            return dflt;
        }
        double[] out = new double[dflt.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = n.get(i).asDouble();
        }
        return out;
    }

    private static double[] multiply(double[] a, double[] b) {
        double[] out = new double[16];
        for (int col = 0; col < 4; col++) {
            for (int row = 0; row < 4; row++) {
                double s = 0;
                for (int k = 0; k < 4; k++) {
                    s += a[k * 4 + row] * b[col * 4 + k];
                }
                out[col * 4 + row] = s;
            }
        }
        return out;
    }

    private static boolean isIdentity(double[] m) {
        double[] id = identity();
        for (int i = 0; i < 16; i++) {
            if (m[i] != id[i]) {
                return false;
            }
        }
        return true;
    }

    /** Splits a global matrix into rotation, uniform scale and translation, or refuses it. */
    private static Similarity similarity(double[] m, String ptr) {
        double[] len = new double[3];
        double[][] r = new double[3][3];
        for (int col = 0; col < 3; col++) {
            len[col] = Math.sqrt(m[col * 4] * m[col * 4] + m[col * 4 + 1] * m[col * 4 + 1] + m[col * 4 + 2] * m[col * 4 + 2]);
            if (!(len[col] > 0) || !Double.isFinite(len[col])) {
                throw new MalformedInputException(ErrorCode.UNSUPPORTED_FEATURE, ptr, "a node transform with a zero or non-finite scale");
            }
            for (int row = 0; row < 3; row++) {
                r[row][col] = m[col * 4 + row] / len[col];
            }
        }
        double det = r[0][0] * (r[1][1] * r[2][2] - r[1][2] * r[2][1]) - r[0][1] * (r[1][0] * r[2][2] - r[1][2] * r[2][0])
                + r[0][2] * (r[1][0] * r[2][1] - r[1][1] * r[2][0]);
        double s = (len[0] + len[1] + len[2]) / 3;
        if (Math.abs(det - 1) > 1e-4 || Math.abs(len[0] - s) > 1e-5 * s || Math.abs(len[1] - s) > 1e-5 * s
                || Math.abs(len[2] - s) > 1e-5 * s || m[3] != 0 || m[7] != 0 || m[11] != 0 || m[15] != 1) {
            throw new MalformedInputException(ErrorCode.UNSUPPORTED_FEATURE, ptr,
                    "a splat mesh under a node transform that is not rotation, uniform positive scale and translation");
        }
        return new Similarity(r, s, new double[] {m[12], m[13], m[14]});
    }

    /** A primitive read as splats: the base extension, or the first draft's SPZ extension alone (3d-tiles-tools). */
    private static boolean isSplatPrimitive(JsonNode prim) {
        JsonNode ext = prim.path("extensions");
        return ext.path(EXT).isObject() || ext.path(SPZ_LEGACY).isObject();
    }

    private void addMesh(JsonNode root, int m, Similarity transform, List<Buffer> buffers) {
        JsonNode primitives = root.path("meshes").get(m).path("primitives");
        for (int p = 0; p < primitives.size(); p++) {
            JsonNode prim = primitives.get(p);
            String ptr = "/meshes/" + m + "/primitives/" + p;
            if (!isSplatPrimitive(prim)) {
                continue;
            }
            JsonNode ext = prim.path("extensions").path(EXT);
            JsonNode legacy = prim.path("extensions").path(SPZ_LEGACY);
            JsonNode attrs = prim.path("attributes");
            JsonNode spz = ext.path("extensions").path(SPZ_2);
            String spzName = SPZ_2;
            if (!spz.isObject() && ext.path("extensions").path(SPZ_UNVERSIONED).isObject()) {
                spz = ext.path("extensions").path(SPZ_UNVERSIONED);
                spzName = SPZ_UNVERSIONED;
            }
            if (!spz.isObject() && legacy.isObject()) {
                spz = legacy;
                spzName = SPZ_LEGACY;
            }
            if (spz.isObject()) {
                addSpz(root, attrs, spz, spzName, ptr, transform, buffers);
                continue;
            }
            Accessor position = accessor(root, attrs, "POSITION", ptr, buffers, 3);
            Accessor rotation = accessor(root, attrs, PREFIX + "ROTATION", ptr, buffers, 4);
            Accessor scale = accessor(root, attrs, PREFIX + "SCALE", ptr, buffers, 3);
            Accessor opacity = accessor(root, attrs, PREFIX + "OPACITY", ptr, buffers, 1);
            Accessor dc = accessor(root, attrs, PREFIX + "SH_DEGREE_0_COEF_0", ptr, buffers, 3);
            List<Accessor> sh = new ArrayList<>();
            sh.add(dc);
            int degree = 0;
            for (int l = 1; l <= 3; l++) {
                int present = 0;
                for (int n = 0; n < 2 * l + 1; n++) {
                    if (attrs.has(PREFIX + "SH_DEGREE_" + l + "_COEF_" + n)) {
                        present++;
                    }
                }
                if (present == 0) {
                    break;
                }
                if (present != 2 * l + 1 || degree != l - 1) {
                    throw new MalformedInputException(ErrorCode.GLTF_BAD_SPLAT_ATTRIBUTE, ptr + "/attributes",
                            "SH degree " + l + " is partly defined (" + present + " of " + (2 * l + 1) + " coefficients)");
                }
                for (int n = 0; n < 2 * l + 1; n++) {
                    sh.add(accessor(root, attrs, PREFIX + "SH_DEGREE_" + l + "_COEF_" + n, ptr, buffers, 3));
                }
                degree = l;
            }
            for (Accessor a : List.of(rotation, scale, opacity)) {
                checkCount(a, position.count);
            }
            for (Accessor a : sh) {
                checkCount(a, position.count);
            }
            prims.add(new Prim(ptr, position.count, degree, position, rotation, scale, opacity, sh.toArray(new Accessor[0]), transform, null));
        }
    }

    /**
     * An SPZ-compressed primitive: the payload's bufferView is checked against its buffer, the payload read as SPZ
     * (versions 2 to 4; its own header checked by the SPZ reader), and validated against the primitive: every
     * attribute accessor's count must equal the payload's splat count, and SH attributes, when listed, must be
     * exactly the payload's degree.
     */
    private void addSpz(JsonNode root, JsonNode attrs, JsonNode spz, String name, String primPtr, Similarity transform,
                        List<Buffer> buffers) {
        boolean legacy = SPZ_LEGACY.equals(name);
        String extPtr = primPtr + "/extensions/" + (legacy ? name : EXT + "/extensions/" + name);
        View view = bufferView(root, buffers, spz.path("bufferView"), extPtr + "/bufferView", 1);
        if (!attrs.has("POSITION")) {
            throw new MalformedInputException(ErrorCode.GLTF_BAD_SPLAT_ATTRIBUTE, primPtr + "/attributes", "missing POSITION");
        }
        Buffer buffer = view.buffer();
        SpzBytes bytes = new SpzBytes(buffer.channel(), buffer.bytes(), buffer.offset() + view.offset(), view.length());
        SpzPayload payload = spzPayloads.get(bytes);
        if (payload == null) {
            try {
                payload = checkSpz(bytes, extPtr, name, count -> spzAttributes(root, attrs, legacy, primPtr, count));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            spzPayloads.put(bytes, payload);
        }
        int listedDegree = spzAttributes(root, attrs, legacy, primPtr, payload.count());
        if (listedDegree != 0 && listedDegree != payload.degree()) {
            throw new MalformedInputException(ErrorCode.GLTF_BAD_SPLAT_ATTRIBUTE, primPtr + "/attributes",
                    "the attributes list SH degree " + listedDegree + ", the SPZ payload holds degree " + payload.degree());
        }
        spzUses.merge(payload, 1, Integer::sum);
        prims.add(new Prim(primPtr, payload.count(), payload.degree(), null, null, null, null, new Accessor[0], transform, payload));
    }

    /**
     * Opens a payload once to check it (its count against the primitive's accessors before anything is inflated)
     * and learn its count, SH degree and frame. The first payload's reader is kept for its first instance's read
     * (a file of one primitive, the common case, inflates it once); the others are closed now.
     */
    private SpzPayload checkSpz(SpzBytes bytes, String extPtr, String name, java.util.function.LongConsumer countCheck)
            throws IOException {
        FileChannel channel = bytes.channel();
        long offset = bytes.offset();
        byte[] data = bytes.data();
        if (data != null) {
            // a data URI: SPZ is read from a channel, so the view is copied once; views that overlap would copy the
            // same bytes again (and again), so the copies of one data URI may not add up to more than its bytes
            long copied = spzCopied.getOrDefault(data, 0L) + bytes.length();
            if (copied > data.length) {
                throw new MalformedInputException(ErrorCode.LIMIT_EXCEEDED, extPtr + "/bufferView", "the SPZ payloads"
                        + " in one data URI overlap: copying them takes " + copied + " bytes, more than its " + data.length);
            }
            spzCopied.put(data, copied);
            Path file = Files.createTempFile("vsa-spz-", ".spz");
            channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.DELETE_ON_CLOSE);
            channels.add(channel); // closing it (close(), or open() on a failed check) deletes the copy
            ByteBuffer src = ByteBuffer.wrap(data, (int) bytes.offset(), (int) bytes.length());
            while (src.hasRemaining()) {
                channel.write(src, src.position() - bytes.offset());
            }
            offset = 0;
        }
        SpzPayload unchecked = new SpzPayload(extPtr, channel, offset, bytes.length(), -1, -1, false);
        SplatReader reader = unchecked.open(countCheck);
        boolean keep = false;
        try {
            SplatFileInfo payloadInfo = reader.info();
            int version = payloadInfo.version();
            if (version < 2 || version > 4) {
                throw new MalformedInputException(ErrorCode.GLTF_BAD_SPLAT_ATTRIBUTE, extPtr,
                        "the payload is SPZ version " + version + "; " + name + " holds versions 2 to 4");
            }
            // The SPZ reader shows a frame the payload declares in its variant ("zstd, frame RUB"); none: glTF's values.
            SpzPayload payload = new SpzPayload(extPtr, channel, offset, bytes.length(), payloadInfo.count(),
                    payloadInfo.layout().shDegree(), !payloadInfo.variant().contains("frame "));
            if (spzPayloads.isEmpty()) {
                spzReader = reader;
                spzReaderOf = payload;
                keep = true;
            }
            return payload;
        } finally {
            if (!keep) {
                reader.close();
            }
        }
    }

    /**
     * Checks a primitive's attributes against its SPZ payload's {@code count}: each accessor's count must equal
     * it. Returns the highest SH degree the attributes list (0 if none).
     */
    private static int spzAttributes(JsonNode root, JsonNode attrs, boolean legacy, String primPtr, long count) {
        String sh = legacy ? "_SH_DEGREE_" : PREFIX + "SH_DEGREE_";
        int listedDegree = 0;
        java.util.Iterator<Map.Entry<String, JsonNode>> fields = attrs.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            int index = Json.intValue(f.getValue(), -1);
            JsonNode accessors = root.path("accessors");
            if (index < 0 || index >= accessors.size()) {
                throw new MalformedInputException(ErrorCode.GLTF_BAD_REFERENCE, primPtr + "/attributes/" + f.getKey(),
                        "accessor " + f.getValue() + " does not exist");
            }
            long c = Json.longOr(accessors.get(index), "count", -1);
            if (c != count) {
                throw new MalformedInputException(ErrorCode.GLTF_BAD_SPLAT_ATTRIBUTE, "/accessors/" + index + "/count",
                        f.getKey() + " has count " + c + ", the SPZ payload holds " + count + " splats");
            }
            if (f.getKey().startsWith(sh) && f.getKey().length() > sh.length()) {
                listedDegree = Math.max(listedDegree, f.getKey().charAt(sh.length()) - '0');
            }
        }
        return listedDegree;
    }

    private static void checkCount(Accessor a, long count) {
        if (a.count != count) {
            throw new MalformedInputException(ErrorCode.GLTF_BAD_SPLAT_ATTRIBUTE, a.pointer + "/count",
                    "count " + a.count + " differs from POSITION's " + count);
        }
    }

    private Accessor accessor(JsonNode root, JsonNode attrs, String semantic, String primPtr, List<Buffer> buffers,
                              int components) {
        if (!attrs.has(semantic)) {
            throw new MalformedInputException(ErrorCode.GLTF_BAD_SPLAT_ATTRIBUTE, primPtr + "/attributes", "missing " + semantic);
        }
        int index = Json.intValue(attrs.get(semantic), -1);
        JsonNode accessors = root.path("accessors");
        String ptr = "/accessors/" + index;
        if (index < 0 || index >= accessors.size()) {
            throw new MalformedInputException(ErrorCode.GLTF_BAD_REFERENCE, primPtr + "/attributes/" + semantic, "accessor " + index + " does not exist");
        }
        JsonNode a = accessors.get(index);
        String type = a.path("type").asText();
        int n = switch (type) {
            case "SCALAR" -> 1;
            case "VEC3" -> 3;
            case "VEC4" -> 4;
            default -> -1;
        };
        if (n != components) {
            throw new MalformedInputException(ErrorCode.GLTF_BAD_SPLAT_ATTRIBUTE, ptr + "/type", semantic + " has type " + type);
        }
        int ct = Json.intOr(a, "componentType", -1);
        if (ct != 5120 && ct != 5121 && ct != 5122 && ct != 5123 && ct != 5125 && ct != 5126) {
            throw new MalformedInputException(ErrorCode.GLTF_BAD_SPLAT_ATTRIBUTE, ptr + "/componentType", "component type " + ct);
        }
        long count = Json.longOr(a, "count", -1);
        if (count < 1 || count > MAX_SPLATS) {
            throw new MalformedInputException(ErrorCode.GLTF_BAD_SPLAT_ATTRIBUTE, ptr + "/count", "count " + count);
        }
        if (a.has("sparse")) {
            throw new MalformedInputException(ErrorCode.UNSUPPORTED_FEATURE, ptr + "/sparse", "sparse splat accessors are not supported");
        }
        if (!a.has("bufferView")) {
            throw new MalformedInputException(ErrorCode.UNSUPPORTED_FEATURE, ptr,
                    semantic + " has no bufferView (compressed splats, e.g. by an extension, are not supported)");
        }
        View view = bufferView(root, buffers, a.get("bufferView"), ptr + "/bufferView", 0);
        JsonNode bv = view.json();
        String bvPtr = view.ptr();
        Buffer buffer = view.buffer();
        long bvOffset = view.offset();
        long bvLength = view.length();
        int cs = ct == 5126 || ct == 5125 ? 4 : ct >= 5122 ? 2 : 1;
        int element = cs * n;
        int stride = Json.intOr(bv, "byteStride", 0);
        if (stride == 0) {
            stride = element;
        }
        if (stride < element || stride > 252) {
            throw new MalformedInputException(ErrorCode.GLTF_BAD_REFERENCE, bvPtr + "/byteStride", "byteStride " + stride + " for " + element + "-byte elements");
        }
        long aOffset = Json.longOr(a, "byteOffset", 0);
        // compared by subtraction: a huge byteOffset must not wrap the sum past the check
        if (aOffset < 0 || aOffset > bvLength || (count - 1) * stride + element > bvLength - aOffset) {
            throw new MalformedInputException(ErrorCode.GLTF_BAD_REFERENCE, ptr,
                    "accessor of " + count + " elements at offset " + aOffset + " runs past its " + bvLength + "-byte buffer view");
        }
        return new Accessor(ptr, buffer, bvOffset + aOffset, stride, ct, n, a.path("normalized").asBoolean(false), count);
    }

    /** A checked buffer view: its JSON, pointer, buffer and byte range within that buffer. */
    private record View(JsonNode json, String ptr, Buffer buffer, long offset, long length) {
    }

    /**
     * The buffer view {@code ref} names (at {@code refPtr}) among {@code buffers}' views, checked: it exists, its buffer exists, and its range
     * of at least {@code minLength} bytes lies inside that buffer.
     */
    private static View bufferView(JsonNode root, List<Buffer> buffers, JsonNode ref, String refPtr, long minLength)
            throws MalformedInputException {
        JsonNode views = root.path("bufferViews");
        int index = Json.intValue(ref, -1);
        if (index < 0 || index >= views.size()) {
            throw new MalformedInputException(ErrorCode.GLTF_BAD_REFERENCE, refPtr, "buffer view " + ref + " does not exist");
        }
        JsonNode bv = views.get(index);
        String bvPtr = "/bufferViews/" + index;
        int b = Json.intOr(bv, "buffer", -1);
        if (b < 0 || b >= buffers.size()) {
            throw new MalformedInputException(ErrorCode.GLTF_BAD_REFERENCE, bvPtr + "/buffer", "buffer " + b + " does not exist");
        }
        Buffer buffer = buffers.get(b);
        long offset = Json.longOr(bv, "byteOffset", 0);
        long length = Json.longOr(bv, "byteLength", -1);
        if (offset < 0 || length < minLength || offset > buffer.length || length > buffer.length - offset) {
            throw new MalformedInputException(ErrorCode.GLTF_BAD_REFERENCE, bvPtr,
                    "buffer view [" + offset + ", +" + length + ") lies outside buffer " + b + " (" + buffer.length + " bytes)");
        }
        return new View(bv, bvPtr, buffer, offset, length);
    }

    @Override
    public SplatFileInfo info() {
        return info;
    }

    private float[] tmp = new float[0];
    private ByteBuffer scratch = ByteBuffer.allocate(0);

    @Override
    public int read(SplatBatch batch) throws IOException {
        BatchChecks.checkRead(info.layout(), batch);
        while (current < prims.size() && doneInPrim == prims.get(current).count) {
            current++;
            doneInPrim = 0;
        }
        if (current >= prims.size()) {
            batch.setSize(0);
            return 0;
        }
        Prim p = prims.get(current);
        int n = (int) Math.min(batch.capacity(), p.count - doneInPrim);
        if (p.spz != null) {
            return readSpz(p, batch, n);
        }
        if (tmp.length < n * 4) {
            tmp = new float[n * 4];
        }
        int span = n * 252;
        if (scratch.capacity() < span) {
            scratch = ByteBuffer.allocate(span).order(ByteOrder.LITTLE_ENDIAN);
        }
        float[] rows = batch.array();
        int stride = batch.stride();
        int per = info.layout().restPerChannel();
        java.util.Arrays.fill(rows, 0, n * stride, 0f);
        p.position.read(doneInPrim, n, tmp, scratch);
        for (int i = 0; i < n; i++) {
            // glTF (LUF) -> PLY (RDF): half turn about z.
            rows[i * stride] = -tmp[i * 3];
            rows[i * stride + 1] = -tmp[i * 3 + 1];
            rows[i * stride + 2] = tmp[i * 3 + 2];
        }
        p.rotation.read(doneInPrim, n, tmp, scratch);
        for (int i = 0; i < n; i++) {
            float x = tmp[i * 4], y = tmp[i * 4 + 1], z = tmp[i * 4 + 2], w = tmp[i * 4 + 3];
            double unit = Similarity.unitScale(x, y, z, w);
            if (unit != 1 && unit != 0) { // a zero-length rotation stays as it is
                x = (float) (x * unit);
                y = (float) (y * unit);
                z = (float) (z * unit);
                w = (float) (w * unit);
            }
            int o = i * stride;
            rows[o + SplatLayout.ROT_W] = z;
            rows[o + SplatLayout.ROT_X] = y;
            rows[o + SplatLayout.ROT_Y] = -x;
            rows[o + SplatLayout.ROT_Z] = -w;
        }
        p.scale.read(doneInPrim, n, tmp, scratch);
        for (int i = 0; i < n * 3; i++) {
            // Negative scales break the text's MUST but not the Gaussian (the covariance uses s^2): read by magnitude.
            // A zero scale gets a tiny finite log so the row stays usable.
            rows[(i / 3) * stride + SplatLayout.SCALE_0 + i % 3] = (float) Math.log(Math.max(Math.abs(tmp[i]), 1e-30f));
        }
        p.opacity.read(doneInPrim, n, tmp, scratch);
        for (int i = 0; i < n; i++) {
            // Out-of-range opacity is invalid per the text; it is clamped (a validator reports it), NaN stays NaN.
            double c = Math.min(1 - 1e-7, Math.max(1e-7, tmp[i]));
            rows[i * stride + SplatLayout.OPACITY] = Float.isNaN(tmp[i]) ? Float.NaN : (float) Math.log(c / (1 - c));
        }
        p.sh[0].read(doneInPrim, n, tmp, scratch);
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                rows[i * stride + SplatLayout.DC_0 + c] = tmp[i * 3 + c];
            }
        }
        float[] signs = SH_SIGNS;
        for (int k = 0; k + 1 < p.sh.length; k++) {
            p.sh[k + 1].read(doneInPrim, n, tmp, scratch);
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < 3; c++) {
                    rows[i * stride + SplatLayout.REST + c * per + k] = signs[k] * tmp[i * 3 + c];
                }
            }
        }
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < stride; c++) {
                if (!Float.isFinite(rows[i * stride + c])) {
                    throw new MalformedInputException(ErrorCode.NON_FINITE_VALUES, p.pointer + " splat " + (doneInPrim + i),
                            info.layout().columnName(c) + " is " + rows[i * stride + c]);
                }
            }
        }
        return finish(p, batch, n, false);
    }

    /**
     * Applies the primitive's node transform, if any, to {@code n} rows held in glTF's frame ({@code inGltf}) or
     * the PLY's, and leaves them in the PLY's frame; counts them as read.
     */
    private int finish(Prim p, SplatBatch batch, int n, boolean inGltf) {
        float[] rows = batch.array();
        int stride = batch.stride();
        int per = info.layout().restPerChannel();
        float[] signs = SH_SIGNS;
        if (p.transform != null) {
            // Node transforms act in glTF's frame (the frame change is exact sign flips and a swap)
            if (!inGltf) {
                toGltfFrame(rows, stride, n, signs, per);
            }
            p.transform.apply(rows, stride, n, info.layout());
            toGltfFrame(rows, stride, n, signs, per);
        } else if (inGltf) {
            toGltfFrame(rows, stride, n, signs, per);
        }
        doneInPrim += n;
        batch.setSize(n);
        return n;
    }

    private SplatBatch spzRows;
    /** The reader of the SPZ primitive being read, or the first payload's check reader before its first read. */
    private SplatReader spzReader;
    /** The payload {@link #spzReader} reads, while nothing of it has been read yet; null once reading started. */
    private SpzPayload spzReaderOf;
    /** Rows of instanced payloads decoded once (their own layout, as the SPZ reader gives them), until their last instance. */
    private final Map<SpzPayload, SplatBatch> spzDecoded = new java.util.IdentityHashMap<>();
    private long spzDecodedBytes;

    /**
     * Most bytes of decoded rows kept for instanced payloads: an instance of a payload kept is a copy, not an
     * inflation (whose cost need not follow the splat count: a gzip payload may carry up to 1 MiB of extension
     * records after one splat). A payload too large to keep is inflated per instance, at most 1 MiB beyond its rows.
     */
    static long decodedBudget() {
        return Math.min(64L << 20, Runtime.getRuntime().maxMemory() / 8);
    }

    private int readSpz(Prim p, SplatBatch batch, int n) throws IOException {
        SplatBatch decoded = spzDecoded.get(p.spz);
        if (doneInPrim == 0 && decoded == null) {
            // a new instance: the kept check reader if it is this payload's and unread, else a fresh one
            if (spzReaderOf != p.spz) {
                closeSpzReader();
                spzReader = p.spz.open(count -> { });
            }
            spzReaderOf = null;
            long bytes = p.count * 4L * spzReader.info().layout().stride();
            if (spzUses.get(p.spz) > 1 && spzDecodedBytes + bytes <= decodedBudget()) {
                decoded = decodeAll(p, spzReader);
                closeSpzReader();
                spzDecoded.put(p.spz, decoded);
                spzDecodedBytes += bytes;
            }
        }
        SplatLayout own = decoded != null ? decoded.layout() : spzReader.info().layout();
        float[] src;
        int from;
        if (decoded != null) {
            src = decoded.array();
            from = (int) doneInPrim * own.stride();
        } else {
            if (spzRows == null || !spzRows.layout().equals(own) || spzRows.capacity() != n) {
                spzRows = new SplatBatch(own, n);
            }
            int got = spzReader.read(spzRows);
            if (got != n) {
                throw truncated(p, doneInPrim + got);
            }
            src = spzRows.array();
            from = 0;
        }
        if (doneInPrim + n == p.count) {
            closeSpzReader(); // its inflated body goes before the next instance opens its own
            if (spzUses.merge(p.spz, -1, Integer::sum) == 0 && spzDecoded.remove(p.spz) != null) {
                spzDecodedBytes -= p.count * 4L * own.stride();
            }
        }
        float[] rows = batch.array();
        int stride = batch.stride();
        int per = info.layout().restPerChannel();
        int ownPer = own.restPerChannel();
        java.util.Arrays.fill(rows, 0, n * stride, 0f);
        for (int i = 0; i < n; i++) {
            int o = from + i * own.stride();
            System.arraycopy(src, o, rows, i * stride, SplatLayout.REST);
            for (int c = 0; c < 3; c++) {
                System.arraycopy(src, o + SplatLayout.REST + c * ownPer, rows, i * stride + SplatLayout.REST + c * per, ownPer);
            }
        }
        // a payload declaring no frame holds glTF's own values (LUF); a declared one the SPZ reader took to the PLY's
        return finish(p, batch, n, p.spz.gltfFrame());
    }

    /** All rows of a payload, read by {@code reader} from its start. */
    private static SplatBatch decodeAll(Prim p, SplatReader reader) throws IOException {
        SplatLayout own = reader.info().layout();
        SplatBatch all = new SplatBatch(own, (int) p.count);
        float[] out = all.array();
        SplatBatch b = new SplatBatch(own, (int) Math.min(SplatBatch.DEFAULT_CAPACITY, p.count));
        long done = 0;
        while (done < p.count) {
            int got = reader.read(b);
            if (got <= 0) {
                throw truncated(p, done);
            }
            int take = (int) Math.min(got, p.count - done);
            System.arraycopy(b.array(), 0, out, (int) done * own.stride(), take * own.stride());
            done += take;
        }
        all.setSize((int) p.count);
        return all;
    }

    private static MalformedInputException truncated(Prim p, long got) {
        return new MalformedInputException(ErrorCode.TRUNCATED, p.pointer + " splat " + got,
                "the SPZ payload ended after " + got + " of " + p.count + " splats");
    }

    private void closeSpzReader() throws IOException {
        SplatReader r = spzReader;
        spzReader = null;
        spzReaderOf = null;
        if (r != null) {
            r.close();
        }
    }

    /**
     * Turns rows between the PLY's frame (RDF) and glTF's (LUF), either way: the half turn about z negates x and y,
     * takes q to k (x) q and flips the SH coefficients odd in one of x, y ({@code signs}); it is its own inverse up
     * to quaternion sign.
     */
    static void toGltfFrame(float[] rows, int stride, int n, float[] signs, int per) {
        for (int i = 0, o = 0; i < n; i++, o += stride) {
            rows[o] = -rows[o];
            rows[o + 1] = -rows[o + 1];
            float w = rows[o + SplatLayout.ROT_W], x = rows[o + SplatLayout.ROT_X], y = rows[o + SplatLayout.ROT_Y],
                    z = rows[o + SplatLayout.ROT_Z];
            // k (x) q = (-z, -y, x, w)
            rows[o + SplatLayout.ROT_W] = -z;
            rows[o + SplatLayout.ROT_X] = -y;
            rows[o + SplatLayout.ROT_Y] = x;
            rows[o + SplatLayout.ROT_Z] = w;
            for (int c = 0; c < 3; c++) {
                for (int k = 0; k < per; k++) {
                    rows[o + SplatLayout.REST + c * per + k] *= signs[k];
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        IOException first = null;

        for (java.io.Closeable c : channels) {
            try {
                c.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
