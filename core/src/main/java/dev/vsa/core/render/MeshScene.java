package dev.vsa.core.render;

import com.fasterxml.jackson.core.JacksonException;
import de.javagl.jgltf.impl.v2.GlTF;
import de.javagl.jgltf.model.AccessorByteData;
import de.javagl.jgltf.model.AccessorData;
import de.javagl.jgltf.model.AccessorFloatData;
import de.javagl.jgltf.model.AccessorIntData;
import de.javagl.jgltf.model.AccessorModel;
import de.javagl.jgltf.model.AccessorShortData;
import de.javagl.jgltf.model.GltfModel;
import de.javagl.jgltf.model.GltfModels;
import de.javagl.jgltf.model.ImageModel;
import de.javagl.jgltf.model.MaterialModel;
import de.javagl.jgltf.model.MeshModel;
import de.javagl.jgltf.model.MeshPrimitiveModel;
import de.javagl.jgltf.model.NodeModel;
import de.javagl.jgltf.model.SceneModel;
import de.javagl.jgltf.model.TextureModel;
import de.javagl.jgltf.model.io.GltfAsset;
import de.javagl.jgltf.model.io.GltfAssetReader;
import de.javagl.jgltf.model.io.GltfReferenceResolver;
import de.javagl.jgltf.model.v2.MaterialModelV2;
import dev.vsa.core.error.ErrorCode;
import dev.vsa.core.error.MalformedInputException;
import dev.vsa.core.gltf.resource.BoundedJson;
import dev.vsa.core.gltf.resource.Glb;
import dev.vsa.core.gltf.resource.GltfUris;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The triangles of a glTF/GLB scene in world space, loaded with jgltf-model: node transforms applied (normals by
 * the inverse transpose), per vertex position, normal, texture coordinates of the base colour texture and vertex
 * colour; per triangle a material (base colour factor and texture, alpha mask). Files a glTF references are
 * found by core's resolver ({@link GltfUris}: inside the asset's folder only) and handed to jgltf as bytes;
 * jgltf itself is never asked to open a URI.
 */
final class MeshScene {
    /**
     * Largest glTF/GLB (with the files it references) the renderer loads: jgltf holds it all in memory, so at most
     * a quarter of the heap, and never more than 1 GiB.
     */
    static final long MAX_FILE_BYTES = Math.min(1L << 30, Runtime.getRuntime().maxMemory() / 4);
    /** Most triangles the renderer keeps. */
    static final int MAX_TRIANGLES = 50_000_000;
    /** Largest texture side decoded; bigger images are decoded subsampled. */
    static final int MAX_TEXTURE_SIDE = 2048;
    /**
     * jgltf-model's logger, off: it writes its schema complaints in JUL's two-line format on stderr (vsa render,
     * the server's worker), beside vsa's own log. What matters to the render reaches the user as its error code and
     * line, and vsa validate reports the file's faults in full. Held here: JUL keeps loggers only weakly.
     */
    static final java.util.logging.Logger JGLTF_LOG = java.util.logging.Logger.getLogger("de.javagl");

    static {
        JGLTF_LOG.setLevel(java.util.logging.Level.OFF);
    }

    /** One material: base colour factor, optional texture (ARGB pixels), alpha mask cutoff or -1. */
    record Material(float r, float g, float b, float a, int[] texture, int texW, int texH, int wrapS, int wrapT,
                    float alphaCutoff) {
    }

    final float[] pos;     // 3 a vertex
    final float[] normal;  // 3 a vertex (zero when the primitive has none: face normals are used)
    final float[] uv;      // 2 a vertex
    final float[] color;   // 4 a vertex
    final int[] tris;      // 3 vertex indices a triangle
    final int[] triMaterial;
    final List<Material> materials;
    final int vertexCount;
    final int triangleCount;

    private MeshScene(Builder b) {
        this.pos = b.pos.trim();
        this.normal = b.normal.trim();
        this.uv = b.uv.trim();
        this.color = b.color.trim();
        this.tris = b.tris.trim();
        this.triMaterial = b.triMaterial.trim();
        this.materials = b.materials;
        this.vertexCount = b.vertices;
        this.triangleCount = b.triangles;
    }

    /** Exact bounds of the vertices that triangles use: {lo, hi}. */
    double[][] bounds() {
        double[] lo = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
        double[] hi = {-Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
        for (int v = 0; v < vertexCount; v++) {
            for (int k = 0; k < 3; k++) {
                lo[k] = Math.min(lo[k], pos[3 * v + k]);
                hi[k] = Math.max(hi[k], pos[3 * v + k]);
            }
        }
        if (vertexCount == 0) {
            return new double[][]{{-1, -1, -1}, {1, 1, 1}};
        }
        return new double[][]{lo, hi};
    }

    static MeshScene load(Path file, Budget budget) throws IOException {
        long size = Files.size(file);
        if (size > MAX_FILE_BYTES) {
            throw new MalformedInputException(ErrorCode.LIMIT_EXCEEDED, null, "the glTF is " + size
                    + " bytes, more than the " + MAX_FILE_BYTES + " the renderer loads");
        }
        GltfAsset asset = readAsset(file);
        List<de.javagl.jgltf.model.io.GltfReference> references;
        try {
            references = asset.getReferences();
        } catch (NullPointerException e) { // a null in "buffers" or "images"
            throw jgltfVerdict("jgltf-model cannot list the glTF's files: ", e);
        }
        if (!references.isEmpty()) {
            // Files beside a .gltf: resolved by core's one resolver (inside the asset's folder only), read here;
            // jgltf itself never opens a URI.
            Path folder = file.toAbsolutePath().getParent();
            long[] left = {MAX_FILE_BYTES - size};
            try {
                GltfReferenceResolver.resolveAll(references, uri -> resource(folder, uri, left));
            } catch (java.io.UncheckedIOException e) {
                throw e.getCause();
            }
        }
        budget.check();
        if (asset.getGltf() instanceof GlTF gltf && gltf.getExtensionsRequired() != null) {
            for (String ext : gltf.getExtensionsRequired()) {
                if (ext.equals("KHR_draco_mesh_compression") || ext.equals("EXT_meshopt_compression")
                        || ext.equals("KHR_meshopt_compression")) {
                    throw new MalformedInputException(ErrorCode.UNSUPPORTED_FEATURE, "/extensionsRequired",
                            "the renderer cannot decode " + ext + " meshes");
                }
            }
        }
        GltfModel model;
        try {
            model = GltfModels.create(asset);
        } catch (IndexOutOfBoundsException | IllegalArgumentException | NullPointerException
                 | BufferUnderflowException e) {
            // What jgltf-model throws on bad input: an index past a list, a slice past its buffer or an accessor
            // longer than its view, a bad data URI, a missing required field. Anything else is a bug of ours.
            throw jgltfVerdict("jgltf-model cannot build the model: ", e);
        }
        Builder b = new Builder();
        List<NodeModel> roots;
        Integer sceneIndex = asset.getGltf() instanceof GlTF g ? g.getScene() : null;
        List<SceneModel> scenes = model.getSceneModels();
        if (!scenes.isEmpty()) {
            int s = sceneIndex != null && sceneIndex >= 0 && sceneIndex < scenes.size() ? sceneIndex : 0;
            roots = scenes.get(s).getNodeModels();
        } else {
            roots = new ArrayList<>();
            for (NodeModel n : model.getNodeModels()) {
                if (n.getParent() == null) {
                    roots.add(n);
                }
            }
        }
        Set<NodeModel> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        try {
            for (NodeModel root : roots) {
                visit(root, IDENTITY, b, seen, budget, 0);
            }
        } catch (IndexOutOfBoundsException | BufferUnderflowException e) {
            // jgltf-model does not check an accessor's offset against its view; reading past it lands here.
            throw jgltfVerdict("a mesh's data cannot be read: ", e);
        }
        return new MeshScene(b);
    }

    private static final float[] IDENTITY = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};

    /** jgltf-model's runtime exception on a malformed file, as one line with the renderer's code. */
    private static MalformedInputException jgltfVerdict(String what, RuntimeException e) {
        return new MalformedInputException(ErrorCode.GLTF_BAD_REFERENCE, null, what + e, e);
    }

    /** The bytes a glTF URI names: a data URI, or a file inside {@code folder}; {@code left} bounds the total. */
    private static ByteBuffer resource(Path folder, String uri, long[] left) {
        try {
            byte[] bytes;
            if (GltfUris.isDataUri(uri)) {
                bytes = GltfUris.dataUriBytes(uri, null);
            } else {
                Path file = GltfUris.file(folder, uri, null);
                long n = Files.size(file);
                if (n > left[0]) {
                    throw new MalformedInputException(ErrorCode.LIMIT_EXCEEDED, null, "the glTF's files are more than "
                            + "the " + MAX_FILE_BYTES + " bytes the renderer loads");
                }
                bytes = Files.readAllBytes(file); // bounded just above: jgltf takes whole buffers
            }
            left[0] -= bytes.length;
            return ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN); // glTF data is little-endian
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static GltfAsset readAsset(Path file) throws IOException {
        // A GLB's header and chunk table go through core's reader first (no payload is read), so a cut or damaged
        // GLB gets the codes inspect and convert give; jgltf would fail on it in its own words.
        boolean glb;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer head = ByteBuffer.allocate(4);
            while (head.hasRemaining() && ch.read(head, head.position()) >= 0) {
                // the magic's bytes
            }
            glb = Glb.hasMagic(head.flip());
            if (glb) {
                Glb.open(ch, MAX_FILE_BYTES);
            }
        }
        String what = glb ? "the GLB's JSON chunk" : "the glTF JSON";
        GltfAssetReader reader = new GltfAssetReader();
        List<String> errors = new ArrayList<>();
        reader.setJsonErrorConsumer(e -> errors.add(e.getMessage()));
        GltfAsset asset;
        try (FileErrors in = new FileErrors(Files.newInputStream(file))) {
            try {
                asset = reader.readWithoutReferences(in);
            } catch (JacksonException e) {
                throw BoundedJson.malformed(e, what);
            } catch (IOException e) {
                if (in.failed != null) {
                    throw in.failed;
                }
                // jgltf's verdict on a structure core's readers accept (e.g. bytes after a GLB's declared end)
                throw new MalformedInputException(glb ? ErrorCode.GLB_BAD_HEADER : ErrorCode.GLTF_BAD_JSON, null,
                        "the renderer's glTF reader cannot read the " + (glb ? "GLB" : "glTF") + ": "
                                + e.getMessage(), e);
            }
        }
        if (asset == null || !(asset.getGltf() instanceof GlTF)) {
            throw new MalformedInputException(ErrorCode.GLTF_BAD_JSON, null,
                    "not a glTF 2.0 asset" + (errors.isEmpty() ? "" : ": " + errors.get(0)));
        }
        return asset;
    }

    /** The file's own read errors, told apart from jgltf's verdicts on its bytes (both are IOExceptions). */
    private static final class FileErrors extends FilterInputStream {
        IOException failed;

        FileErrors(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException e) {
                failed = e;
                throw e;
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (IOException e) {
                failed = e;
                throw e;
            }
        }
    }

    /**
     * Adds the node's meshes and its children's, {@code parent} being the transform above it. The transform is
     * composed on the way down: jgltf's computeGlobalTransform follows parent links up and never ends on a node
     * that is its own ancestor (a cyclic file), which {@code seen} cuts here.
     */
    private static void visit(NodeModel node, float[] parent, Builder b, Set<NodeModel> seen, Budget budget,
                              int depth) {
        if (depth > 256 || !seen.add(node)) {
            return;
        }
        budget.check();
        float[] m = new float[16];
        de.javagl.jgltf.model.MathUtils.mul4x4(parent, node.computeLocalTransform(null), m);
        for (MeshModel mesh : node.getMeshModels()) {
            for (MeshPrimitiveModel prim : mesh.getMeshPrimitiveModels()) {
                b.add(prim, m);
            }
        }
        for (NodeModel child : node.getChildren()) {
            visit(child, m, b, seen, budget, depth + 1);
        }
    }

    /** Reads any accessor element component as a float, normalizing integer types when the accessor says so. */
    static float value(AccessorData data, boolean normalized, int element, int component) {
        if (data instanceof AccessorFloatData f) {
            return f.get(element, component);
        }
        if (data instanceof AccessorByteData d) {
            int v = d.isUnsigned() ? d.getInt(element, component) : d.get(element, component);
            return normalized ? (d.isUnsigned() ? v / 255f : Math.max(v / 127f, -1f)) : v;
        }
        if (data instanceof AccessorShortData d) {
            int v = d.isUnsigned() ? d.getInt(element, component) : d.get(element, component);
            return normalized ? (d.isUnsigned() ? v / 65535f : Math.max(v / 32767f, -1f)) : v;
        }
        if (data instanceof AccessorIntData d) {
            return d.isUnsigned() ? d.getLong(element, component) : d.get(element, component);
        }
        throw new MalformedInputException(ErrorCode.GLTF_BAD_REFERENCE, null, "an accessor of an unknown type");
    }

    private static int index(AccessorData data, int i) {
        if (data instanceof AccessorByteData d) {
            return d.getInt(i);
        }
        if (data instanceof AccessorShortData d) {
            return d.getInt(i);
        }
        if (data instanceof AccessorIntData d) {
            long v = d.getLong(i);
            return v > Integer.MAX_VALUE ? -1 : (int) v;
        }
        throw new MalformedInputException(ErrorCode.GLTF_BAD_REFERENCE, null, "indices must be unsigned integers");
    }

    /** Growing primitive arrays. */
    private static final class FloatList {
        float[] a = new float[1024];
        int n;

        void add(float v) {
            if (n == a.length) {
                a = java.util.Arrays.copyOf(a, a.length * 2);
            }
            a[n++] = v;
        }

        float[] trim() {
            return java.util.Arrays.copyOf(a, n);
        }
    }

    private static final class IntList {
        int[] a = new int[1024];
        int n;

        void add(int v) {
            if (n == a.length) {
                a = java.util.Arrays.copyOf(a, a.length * 2);
            }
            a[n++] = v;
        }

        int[] trim() {
            return java.util.Arrays.copyOf(a, n);
        }
    }

    private static final class Builder {
        final FloatList pos = new FloatList(), normal = new FloatList(), uv = new FloatList(), color = new FloatList();
        final IntList tris = new IntList(), triMaterial = new IntList();
        final List<Material> materials = new ArrayList<>();
        final Map<MaterialModel, Integer> materialIndex = new IdentityHashMap<>();
        final Map<ImageModel, BufferedImage> images = new IdentityHashMap<>();
        int vertices, triangles;

        void add(MeshPrimitiveModel prim, float[] m) {
            int mode = prim.getMode();
            if (mode != 4 && mode != 5 && mode != 6) {
                return; // points and lines have no surface to shade
            }
            Map<String, AccessorModel> attrs = prim.getAttributes();
            AccessorModel position = attrs.get("POSITION");
            if (position == null || position.getElementType().getNumComponents() != 3) {
                return;
            }
            int material = material(prim.getMaterialModel());
            Material mat = materials.get(material);
            int texcoord = 0;
            if (prim.getMaterialModel() instanceof MaterialModelV2 v2 && v2.getBaseColorTexcoord() != null) {
                texcoord = v2.getBaseColorTexcoord();
            }
            AccessorModel normals = attrs.get("NORMAL");
            AccessorModel uvs = mat.texture() == null ? null : attrs.get("TEXCOORD_" + texcoord);
            AccessorModel colors = attrs.get("COLOR_0");
            int count = position.getCount();
            AccessorData pd = position.getAccessorData();
            AccessorData nd = normals != null && normals.getCount() == count ? normals.getAccessorData() : null;
            AccessorData ud = uvs != null && uvs.getCount() == count ? uvs.getAccessorData() : null;
            AccessorData cd = colors != null && colors.getCount() == count ? colors.getAccessorData() : null;
            int colorComponents = colors == null ? 0 : colors.getElementType().getNumComponents();
            // Normal matrix: inverse transpose of the upper 3x3 (column-major m).
            double a00 = m[0], a10 = m[1], a20 = m[2], a01 = m[4], a11 = m[5], a21 = m[6], a02 = m[8], a12 = m[9],
                    a22 = m[10];
            double det = a00 * (a11 * a22 - a12 * a21) - a01 * (a10 * a22 - a12 * a20) + a02 * (a10 * a21 - a11 * a20);
            double id = Math.abs(det) < 1e-30 ? 0 : 1 / det;
            double n00 = (a11 * a22 - a12 * a21) * id, n01 = (a12 * a20 - a10 * a22) * id, n02 = (a10 * a21 - a11 * a20) * id;
            double n10 = (a02 * a21 - a01 * a22) * id, n11 = (a00 * a22 - a02 * a20) * id, n12 = (a01 * a20 - a00 * a21) * id;
            double n20 = (a01 * a12 - a02 * a11) * id, n21 = (a02 * a10 - a00 * a12) * id, n22 = (a00 * a11 - a01 * a10) * id;
            int first = vertices;
            for (int v = 0; v < count; v++) {
                float x = value(pd, position.isNormalized(), v, 0), y = value(pd, position.isNormalized(), v, 1),
                        z = value(pd, position.isNormalized(), v, 2);
                pos.add(m[0] * x + m[4] * y + m[8] * z + m[12]);
                pos.add(m[1] * x + m[5] * y + m[9] * z + m[13]);
                pos.add(m[2] * x + m[6] * y + m[10] * z + m[14]);
                if (nd != null) {
                    float nx = value(nd, normals.isNormalized(), v, 0), ny = value(nd, normals.isNormalized(), v, 1),
                            nz = value(nd, normals.isNormalized(), v, 2);
                    normal.add((float) (n00 * nx + n01 * ny + n02 * nz));
                    normal.add((float) (n10 * nx + n11 * ny + n12 * nz));
                    normal.add((float) (n20 * nx + n21 * ny + n22 * nz));
                } else {
                    normal.add(0);
                    normal.add(0);
                    normal.add(0);
                }
                if (ud != null) {
                    uv.add(value(ud, uvs.isNormalized(), v, 0));
                    uv.add(value(ud, uvs.isNormalized(), v, 1));
                } else {
                    uv.add(0);
                    uv.add(0);
                }
                if (cd != null && colorComponents >= 3) {
                    for (int k = 0; k < 3; k++) {
                        color.add(value(cd, colors.isNormalized(), v, k));
                    }
                    color.add(colorComponents == 4 ? value(cd, colors.isNormalized(), v, 3) : 1f);
                } else {
                    for (int k = 0; k < 4; k++) {
                        color.add(1f);
                    }
                }
            }
            vertices += count;
            AccessorModel indices = prim.getIndices();
            AccessorData id2 = indices == null ? null : indices.getAccessorData();
            int n = indices == null ? count : indices.getCount();
            int tcount = mode == 4 ? n / 3 : Math.max(0, n - 2);
            if ((long) triangles + tcount > MAX_TRIANGLES) {
                throw new MalformedInputException(ErrorCode.LIMIT_EXCEEDED, null, "the scene has more than "
                        + MAX_TRIANGLES + " triangles, more than the renderer draws");
            }
            for (int t = 0; t < tcount; t++) {
                int i0, i1, i2;
                if (mode == 4) {
                    i0 = 3 * t; i1 = 3 * t + 1; i2 = 3 * t + 2;
                } else if (mode == 5) {
                    i0 = t; i1 = (t & 1) == 0 ? t + 1 : t + 2; i2 = (t & 1) == 0 ? t + 2 : t + 1;
                } else {
                    i0 = 0; i1 = t + 1; i2 = t + 2;
                }
                int v0 = id2 == null ? i0 : index(id2, i0), v1 = id2 == null ? i1 : index(id2, i1),
                        v2 = id2 == null ? i2 : index(id2, i2);
                if (v0 < 0 || v0 >= count || v1 < 0 || v1 >= count || v2 < 0 || v2 >= count) {
                    continue; // the validator reports out-of-range indices; the renderer skips them
                }
                tris.add(first + v0);
                tris.add(first + v1);
                tris.add(first + v2);
                triMaterial.add(material);
                triangles++;
            }
        }

        int material(MaterialModel model) {
            Integer known = materialIndex.get(model);
            if (known != null) {
                return known;
            }
            float[] f = {1, 1, 1, 1};
            int[] tex = null;
            int tw = 0, th = 0, ws = 10497, wt = 10497;
            float cutoff = -1;
            if (model instanceof MaterialModelV2 v2) {
                if (v2.getBaseColorFactor() != null && v2.getBaseColorFactor().length == 4) {
                    f = v2.getBaseColorFactor();
                }
                TextureModel t = v2.getBaseColorTexture();
                if (t != null && t.getImageModel() != null) {
                    BufferedImage img = image(t.getImageModel());
                    if (img != null) {
                        tw = img.getWidth();
                        th = img.getHeight();
                        tex = argb(img);
                        ws = t.getWrapS() == null ? 10497 : t.getWrapS();
                        wt = t.getWrapT() == null ? 10497 : t.getWrapT();
                    }
                }
                if (v2.getAlphaMode() == MaterialModelV2.AlphaMode.MASK) {
                    cutoff = v2.getAlphaCutoff();
                }
            }
            int index = materials.size();
            materials.add(new Material(f[0], f[1], f[2], f[3], tex, tw, th, ws, wt, cutoff));
            materialIndex.put(model, index);
            return index;
        }

        /** The image's pixels as ARGB ints; the common decoder layouts copied directly (getRGB is slow). */
        static int[] argb(BufferedImage img) {
            int w = img.getWidth(), h = img.getHeight();
            int[] out = new int[w * h];
            java.awt.image.Raster r = img.getRaster();
            if (r.getDataBuffer() instanceof java.awt.image.DataBufferByte db && db.getNumBanks() == 1
                    && r.getSampleModel() instanceof java.awt.image.PixelInterleavedSampleModel sm
                    && r.getSampleModelTranslateX() == 0 && r.getSampleModelTranslateY() == 0
                    && (img.getType() == BufferedImage.TYPE_3BYTE_BGR || img.getType() == BufferedImage.TYPE_4BYTE_ABGR)) {
                byte[] b = db.getData();
                int ps = sm.getPixelStride(), ss = sm.getScanlineStride();
                boolean alpha = img.getType() == BufferedImage.TYPE_4BYTE_ABGR;
                for (int y = 0; y < h; y++) {
                    int o = y * ss;
                    for (int x = 0; x < w; x++, o += ps) {
                        int a = alpha ? b[o] & 0xFF : 0xFF, c = alpha ? o + 1 : o;
                        out[y * w + x] = a << 24 | (b[c + 2] & 0xFF) << 16 | (b[c + 1] & 0xFF) << 8 | (b[c] & 0xFF);
                    }
                }
                return out;
            }
            return img.getRGB(0, 0, w, h, out, 0, w);
        }

        /** Decodes a PNG or JPEG image (null if ImageIO cannot), subsampled to at most 2048 a side. */
        BufferedImage image(ImageModel model) {
            if (images.containsKey(model)) {
                return images.get(model);
            }
            BufferedImage img = null;
            ByteBuffer data = model.getImageData();
            if (data != null) {
                byte[] bytes = new byte[data.remaining()];
                data.duplicate().get(bytes);
                try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
                    Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
                    if (readers.hasNext()) {
                        ImageReader reader = readers.next();
                        try {
                            reader.setInput(in, true, true);
                            int w = reader.getWidth(0), h = reader.getHeight(0);
                            int sub = 1;
                            while (Math.max(w, h) / sub > MAX_TEXTURE_SIDE) {
                                sub *= 2;
                            }
                            var param = reader.getDefaultReadParam();
                            if (sub > 1) {
                                param.setSourceSubsampling(sub, sub, 0, 0);
                            }
                            img = reader.read(0, param);
                        } finally {
                            reader.dispose();
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    img = null; // an undecodable texture: the surface keeps its factor colour
                }
            }
            images.put(model, img);
            return img;
        }
    }
}
