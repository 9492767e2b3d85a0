package dev.vsa.core.validate.gltf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vsa.core.validate.gltf.Model.Accessor;
import dev.vsa.core.validate.gltf.Model.AnimSampler;
import dev.vsa.core.validate.gltf.Model.Animation;
import dev.vsa.core.validate.gltf.Model.Buffer;
import dev.vsa.core.validate.gltf.Model.BufferView;
import dev.vsa.core.validate.gltf.Model.Camera;
import dev.vsa.core.validate.gltf.Model.Channel;
import dev.vsa.core.validate.gltf.Model.Image;
import dev.vsa.core.validate.gltf.Model.Material;
import dev.vsa.core.validate.gltf.Model.Mesh;
import dev.vsa.core.validate.gltf.Model.Node;
import dev.vsa.core.validate.gltf.Model.Primitive;
import dev.vsa.core.validate.gltf.Model.Sampler;
import dev.vsa.core.validate.gltf.Model.Scene;
import dev.vsa.core.validate.gltf.Model.Skin;
import dev.vsa.core.validate.gltf.Model.Texture;
import dev.vsa.core.validate.gltf.Model.TextureRef;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * Reads the glTF JSON tree into {@link Model} objects, checking the schema, then links the references and checks
 * what spans objects (usage, node graph, skins, animations, unused objects). Follows the order and rules of the
 * Khronos glTF-Validator so the codes agree.
 */
final class GltfParser {
    static final Pattern VERSION = Pattern.compile("^([0-9]+)\\.([0-9]+)$");
    private static final Pattern EXT_NAME = Pattern.compile("^([A-Z0-9]+)_[A-Za-z0-9_]+$");
    private static final double UNIT_VEC4 = 0.00769;
    private static final double UNIT_VEC3 = 0.00674;

    private static final Set<String> ROOT = Set.of("extensionsUsed", "extensionsRequired", "accessors", "animations",
            "asset", "buffers", "bufferViews", "cameras", "images", "materials", "meshes", "nodes", "samplers", "scene",
            "scenes", "skins", "textures");
    private static final Set<String> ACCESSOR = Set.of("bufferView", "byteOffset", "componentType", "count", "type",
            "normalized", "max", "min", "sparse", "name");
    private static final List<String> ACCESSOR_TYPES = List.of("SCALAR", "VEC2", "VEC3", "VEC4", "MAT2", "MAT3", "MAT4");

    /** Extensions this validator understands, and on which object kind each may appear. */
    static final Map<String, Set<String>> SUPPORTED_EXTENSIONS = Extensions.supported();
    /** KHR_mesh_quantization: no extension objects, only wider attribute formats; must be required. */
    static final String QUANTIZATION = "KHR_mesh_quantization";

    final Ctx ctx;
    List<String> extensionsUsed = List.of();
    List<String> extensionsRequired = List.of();
    final Set<String> loaded = new HashSet<>();
    String version;
    String minVersion;
    String generator;
    long sceneIndex = -1;
    boolean ok;
    /** The material or texture being read, for extension objects inside it. */
    Material currentMaterial;
    Texture currentTexture;
    Node currentNode;
    /** KHR_lights_punctual: number of root lights (-1: no root extension) and which are used. */
    int lightCount = -1;
    boolean[] lightsUsed;
    /** KHR_materials_variants: number of root variants (-1: no root extension) and which are used. */
    int variantCount = -1;
    boolean[] variantsUsed;
    Primitive currentPrimitive;
    Channel currentChannel;

    List<Accessor> accessors = List.of();
    List<Animation> animations = List.of();
    List<Buffer> buffers = List.of();
    List<BufferView> bufferViews = List.of();
    List<Camera> cameras = List.of();
    List<Image> images = List.of();
    List<Material> materials = List.of();
    List<Mesh> meshes = List.of();
    List<Node> nodes = List.of();
    List<Sampler> samplers = List.of();
    List<Scene> scenes = List.of();
    List<Skin> skins = List.of();
    List<Texture> textures = List.of();
    final Map<BufferView, Set<Accessor>> bufferViewAccessors = new HashMap<>();

    GltfParser(Ctx ctx) {
        this.ctx = ctx;
    }

    static <T> T at(List<T> list, long index) {
        return index < 0 || index >= list.size() ? null : list.get((int) index);
    }

    /** Parses and links; false if the asset could not be read (no version or wrong major version). */
    boolean parse(ObjectNode root) {
        ctx.clear();
        J.checkMembers(root, ROOT, ctx);
        if (root.has("extensionsRequired") && !root.has("extensionsUsed")) {
            ctx.issue(GltfIssue.UNSATISFIED_DEPENDENCY, "extensionsRequired", "extensionsUsed");
        }
        List<String> used = J.strings(root, "extensionsUsed", ctx);
        List<String> required = J.strings(root, "extensionsRequired", ctx);
        extensionsUsed = used == null ? List.of() : used;
        extensionsRequired = required == null ? List.of() : required;
        initExtensions();

        ctx.clear();
        ObjectNode asset = J.map(root, "asset", ctx, true);
        if (asset == null) {
            return false;
        }
        ctx.push("asset");
        parseAsset(asset);
        ctx.clear();
        if (version == null) {
            return false;
        }
        var vm = VERSION.matcher(version);
        int major = vm.find() ? parseIntSafe(vm.group(1)) : 0;
        int minor = vm.reset().find() ? parseIntSafe(vm.group(2)) : 0;
        if (major != 2) {
            ctx.push("asset");
            ctx.issue(GltfIssue.UNKNOWN_ASSET_MAJOR_VERSION, "version", major);
            ctx.clear();
            return false;
        } else if (minor > 0) {
            ctx.push("asset");
            ctx.issue(GltfIssue.UNKNOWN_ASSET_MINOR_VERSION, "version", minor);
            ctx.clear();
        }
        accessors = list(root, "accessors", this::parseAccessor);
        animations = list(root, "animations", this::parseAnimation);
        buffers = list(root, "buffers", this::parseBuffer);
        bufferViews = list(root, "bufferViews", this::parseBufferView);
        cameras = list(root, "cameras", this::parseCamera);
        images = list(root, "images", this::parseImage);
        materials = list(root, "materials", this::parseMaterial);
        meshes = list(root, "meshes", this::parseMesh);
        nodes = list(root, "nodes", this::parseNode);
        samplers = list(root, "samplers", this::parseSampler);
        scenes = list(root, "scenes", this::parseScene);
        ctx.clear();
        sceneIndex = J.index(root, "scene", ctx, false);
        if (sceneIndex != -1 && at(scenes, sceneIndex) == null) {
            ctx.issue(GltfIssue.UNRESOLVED_REFERENCE, "scene", sceneIndex);
        }
        skins = list(root, "skins", this::parseSkin);
        textures = list(root, "textures", this::parseTexture);
        ctx.clear();
        extensions(root, "Gltf");
        J.extras(root, ctx);
        ctx.clear();
        link();
        ok = true;
        return true;
    }

    private static int parseIntSafe(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }

    private void initExtensions() {
        for (int i = 0; i < extensionsUsed.size(); i++) {
            String name = extensionsUsed.get(i);
            if (!EXT_NAME.matcher(name).find()) {
                ctx.issue(GltfIssue.INVALID_EXTENSION_NAME_FORMAT, "/extensionsUsed/" + i);
            }
            if (!SUPPORTED_EXTENSIONS.containsKey(name)) {
                ctx.issue(GltfIssue.UNSUPPORTED_EXTENSION, "/extensionsUsed/" + i, name);
                continue;
            }
            if (name.equals(QUANTIZATION) && !extensionsRequired.contains(name)) {
                ctx.issue(GltfIssue.NON_REQUIRED_EXTENSION, "/extensionsUsed/" + i, name);
            }
            loaded.add(name);
        }
        for (int i = 0; i < extensionsRequired.size(); i++) {
            if (!extensionsUsed.contains(extensionsRequired.get(i))) {
                ctx.issue(GltfIssue.UNUSED_EXTENSION_REQUIRED, "/extensionsRequired/" + i, extensionsRequired.get(i));
            }
        }
    }

    private <T> List<T> list(ObjectNode root, String name, BiFunction<ObjectNode, Integer, T> fromMap) {
        ctx.clear();
        JsonNode items = root.get(name);
        if (items == null) {
            return List.of();
        }
        if (items.isArray()) {
            if (items.isEmpty()) {
                ctx.issue(GltfIssue.EMPTY_ENTITY, name);
                return List.of();
            }
            List<T> r = new ArrayList<>(items.size());
            ctx.push(name);
            for (int i = 0; i < items.size(); i++) {
                JsonNode item = items.get(i);
                if (item instanceof ObjectNode o) {
                    ctx.push(i);
                    r.add(fromMap.apply(o, i));
                    ctx.pop();
                } else {
                    ctx.issue(GltfIssue.TYPE_MISMATCH, i, Fmt.mbq(item), "object");
                    r.add(null);
                }
            }
            ctx.clear();
            return r;
        }
        ctx.issue(GltfIssue.TYPE_MISMATCH, name, Fmt.mbq(items), "array");
        return List.of();
    }

    /** Reads {@code extensions} of an object of {@code kind}; returns name to raw value. */
    Map<String, JsonNode> extensions(ObjectNode map, String kind) {
        ObjectNode exts = J.map(map, "extensions", ctx, false);
        if (exts == null || exts.isEmpty()) {
            return Map.of();
        }
        Map<String, JsonNode> r = new LinkedHashMap<>();
        ctx.push("extensions");
        for (var it = exts.fields(); it.hasNext(); ) {
            var e = it.next();
            String name = e.getKey();
            ObjectNode ext = J.map(exts, name, ctx, false);
            if (!loaded.contains(name)) {
                if (!extensionsUsed.contains(name)) {
                    ctx.issue(GltfIssue.UNDECLARED_EXTENSION, name);
                }
                r.put(name, e.getValue());
                continue;
            }
            if (!SUPPORTED_EXTENSIONS.get(name).contains(kind)) {
                ctx.issue(GltfIssue.UNEXPECTED_EXTENSION_OBJECT, name);
                continue;
            }
            r.put(name, ext);
            if (ext != null && Extensions.checked(name)) {
                ctx.push(name);
                Extensions.parse(name, kind, ext, this);
                ctx.pop();
            }
        }
        ctx.pop();
        return r;
    }

    private void parseAsset(ObjectNode map) {
        J.checkMembers(map, Set.of("copyright", "generator", "version", "minVersion"), ctx);
        J.str(map, "copyright", ctx);
        generator = J.str(map, "generator", ctx);
        version = J.str(map, "version", ctx, true, null, null, VERSION);
        minVersion = J.str(map, "minVersion", ctx, false, null, null, VERSION);
        extensions(map, "Asset");
        J.extras(map, ctx);
        if (minVersion != null && version != null) {
            var a = VERSION.matcher(version);
            var b = VERSION.matcher(minVersion);
            if (a.find() && b.find()) {
                int ma = parseIntSafe(a.group(1)), mi = parseIntSafe(a.group(2));
                int mma = parseIntSafe(b.group(1)), mmi = parseIntSafe(b.group(2));
                if (mma > ma || (mma == ma && mmi > mi)) {
                    ctx.issue(GltfIssue.ASSET_MIN_VERSION_GREATER_THAN_VERSION, "minVersion", minVersion, version);
                }
            }
        }
    }

    private Accessor parseAccessor(ObjectNode map, int i) {
        Accessor a = new Accessor(i);
        J.checkMembers(map, ACCESSOR, ctx);
        a.bufferViewIndex = J.index(map, "bufferView", ctx, false);
        if (a.bufferViewIndex == -1) {
            if (map.has("byteOffset")) {
                ctx.issue(GltfIssue.UNSATISFIED_DEPENDENCY, "byteOffset", "bufferView");
            }
            a.byteOffset = 0;
        } else {
            a.byteOffset = J.uint(map, "byteOffset", ctx, false, 0, 0);
        }
        a.componentType = J.uint(map, "componentType", ctx, true, 0, -1, -1, Gl.COMPONENT_TYPES);
        a.count = J.uint(map, "count", ctx, true, 1, -1);
        a.type = J.str(map, "type", ctx, true, ACCESSOR_TYPES, null, null);
        if (a.type != null && !ACCESSOR_TYPES.contains(a.type)) {
            a.type = null;
        }
        a.normalized = J.bool(map, "normalized", ctx, false);
        if (a.type != null && a.componentType != -1) {
            int length = Gl.typeLength(a.type);
            if (a.componentType == Gl.FLOAT) {
                a.min = J.floats(map, "min", ctx, true, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, new int[] {length});
                a.max = J.floats(map, "max", ctx, true, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, new int[] {length});
            } else {
                a.min = J.glInts(map, "min", ctx, (int) a.componentType, length);
                a.max = J.glInts(map, "max", ctx, (int) a.componentType, length);
            }
        }
        ObjectNode sparse = J.inner(map, "sparse", ctx, false);
        if (sparse != null) {
            a.hasSparseProperty = true;
            ctx.push("sparse");
            a.sparse = parseSparse(sparse);
            ctx.pop();
        }
        if (a.normalized && (a.componentType == Gl.FLOAT || a.componentType == Gl.UNSIGNED_INT)) {
            ctx.issue(GltfIssue.ACCESSOR_NORMALIZED_INVALID, "normalized");
        }
        if (a.type != null && a.type.startsWith("MAT") && a.byteOffset != -1 && (a.byteOffset & 3) != 0) {
            ctx.issue(GltfIssue.ACCESSOR_MATRIX_ALIGNMENT, "byteOffset");
        }
        J.str(map, "name", ctx);
        a.extensions = extensions(map, "Accessor");
        a.extras = J.extras(map, ctx);
        if (a.componentType != -1) {
            String p = ctx.pointer(null);
            if (a.componentType == Gl.FLOAT) {
                a.checkers.add(Checks.invalidFloat(p));
            }
            if (a.min != null) {
                a.checkers.add(new Checks.Min(p, a.min));
            }
            if (a.max != null) {
                a.checkers.add(new Checks.Max(p, a.max));
            }
        }
        return a;
    }

    private Model.Sparse parseSparse(ObjectNode map) {
        J.checkMembers(map, Set.of("count", "indices", "values"), ctx);
        Model.Sparse s = new Model.Sparse();
        s.count = J.uint(map, "count", ctx, true, 1, -1);
        ObjectNode ind = J.inner(map, "indices", ctx, true);
        if (ind != null) {
            ctx.push("indices");
            J.checkMembers(ind, Set.of("bufferView", "byteOffset", "componentType"), ctx);
            s.indicesView = J.index(ind, "bufferView", ctx, true);
            s.indicesOffset = J.uint(ind, "byteOffset", ctx, false, 0, 0);
            s.indicesComponentType = J.uint(ind, "componentType", ctx, true, 0, -1, -1, Gl.ELEMENT_ARRAY_TYPES);
            extensions(ind, "AccessorSparseIndices");
            J.extras(ind, ctx);
            ctx.pop();
        }
        ObjectNode val = J.inner(map, "values", ctx, true);
        if (val != null) {
            ctx.push("values");
            J.checkMembers(val, Set.of("bufferView", "byteOffset"), ctx);
            s.valuesView = J.index(val, "bufferView", ctx, true);
            s.valuesOffset = J.uint(val, "byteOffset", ctx, false, 0, 0);
            extensions(val, "AccessorSparseValues");
            J.extras(val, ctx);
            ctx.pop();
        }
        if (s.count == -1 || ind == null || val == null) {
            return null;
        }
        extensions(map, "AccessorSparse");
        J.extras(map, ctx);
        return s;
    }

    private Animation parseAnimation(ObjectNode map, int i) {
        Animation a = new Animation(i);
        J.checkMembers(map, Set.of("channels", "samplers", "name"), ctx);
        List<ObjectNode> ch = J.mapList(map, "channels", ctx);
        if (ch != null) {
            a.channels = new ArrayList<>();
            ctx.push("channels");
            for (int c = 0; c < ch.size(); c++) {
                ctx.push(c);
                ObjectNode cm = ch.get(c);
                J.checkMembers(cm, Set.of("target", "sampler"), ctx);
                Channel channel = new Channel();
                channel.sampler = J.index(cm, "sampler", ctx, true);
                ObjectNode target = J.inner(cm, "target", ctx, true);
                if (target != null) {
                    ctx.push("target");
                    J.checkMembers(target, Set.of("node", "path"), ctx);
                    currentChannel = channel;
                    extensions(target, "AnimationChannelTarget");
                    currentChannel = null;
                    channel.hasTarget = true;
                    channel.node = J.index(target, "node", ctx, false);
                    channel.path = J.str(target, "path", ctx, true, loaded.contains(Extensions.POINTER)
                            ? List.of("translation", "rotation", "scale", "weights", "pointer")
                            : List.of("translation", "rotation", "scale", "weights"), null, null);
                    J.extras(target, ctx);
                    ctx.pop();
                }
                extensions(cm, "AnimationChannel");
                J.extras(cm, ctx);
                a.channels.add(channel);
                ctx.pop();
            }
            ctx.pop();
        }
        List<ObjectNode> sm = J.mapList(map, "samplers", ctx);
        if (sm != null) {
            a.samplers = new ArrayList<>();
            ctx.push("samplers");
            for (int s = 0; s < sm.size(); s++) {
                ctx.push(s);
                ObjectNode m = sm.get(s);
                J.checkMembers(m, Set.of("input", "interpolation", "output"), ctx);
                AnimSampler as = new AnimSampler();
                as.input = J.index(m, "input", ctx, true);
                as.interpolation = J.str(m, "interpolation", ctx, false, List.of("LINEAR", "STEP", "CUBICSPLINE"), "LINEAR", null);
                as.output = J.index(m, "output", ctx, true);
                extensions(m, "AnimationSampler");
                J.extras(m, ctx);
                a.samplers.add(as);
                ctx.pop();
            }
            ctx.pop();
        }
        J.str(map, "name", ctx);
        a.extensions = extensions(map, "Animation");
        a.extras = J.extras(map, ctx);
        return a;
    }

    private Buffer parseBuffer(ObjectNode map, int i) {
        Buffer b = new Buffer(i);
        J.checkMembers(map, Set.of("uri", "byteLength", "name"), ctx);
        b.byteLength = J.uint(map, "byteLength", ctx, true, 1, -1);
        b.hasUri = map.has("uri");
        if (b.hasUri) {
            String uri = J.str(map, "uri", ctx);
            if (uri != null) {
                if (ctx.glb) {
                    ctx.issue(GltfIssue.URI_GLB, "uri");
                }
                dev.vsa.core.gltf.resource.GltfUris.DataUri data = Uris.parseDataUri(uri);
                if (data == null) {
                    b.uri = Uris.check(uri, ctx);
                } else {
                    if (ctx.glb) {
                        ctx.issue(GltfIssue.DATA_URI_GLB, "uri");
                    }
                    String mt = data.mimeType().toLowerCase(java.util.Locale.ROOT);
                    if (mt.equals("application/gltf-buffer") || mt.equals("application/octet-stream")) {
                        b.dataUri = data.bytes();
                        if (b.dataUri == null) {
                            ctx.issue(GltfIssue.INVALID_URI, "uri", Uris.abbreviate(uri), "Invalid data URI content.");
                        }
                    } else {
                        ctx.issue(GltfIssue.BUFFER_DATA_URI_MIME_TYPE_INVALID, "uri", data.mimeType());
                    }
                }
            }
        }
        J.str(map, "name", ctx);
        b.extensions = extensions(map, "Buffer");
        b.extras = J.extras(map, ctx);
        return b;
    }

    private BufferView parseBufferView(ObjectNode map, int i) {
        BufferView v = new BufferView(i);
        J.checkMembers(map, Set.of("buffer", "byteOffset", "byteLength", "byteStride", "target", "name"), ctx);
        v.byteLength = J.uint(map, "byteLength", ctx, true, 1, -1);
        v.byteStride = J.uint(map, "byteStride", ctx, false, 4, 252, -1, null);
        v.target = J.uint(map, "target", ctx, false, 0, -1, -1, Gl.TARGETS);
        if (v.byteStride != -1) {
            if (v.byteLength != -1 && v.byteStride > v.byteLength) {
                ctx.issue(GltfIssue.BUFFER_VIEW_TOO_BIG_BYTE_STRIDE, "byteStride", v.byteStride, v.byteLength);
            }
            if (v.byteStride % 4 != 0) {
                ctx.issue(GltfIssue.VALUE_MULTIPLE_OF, "byteStride", v.byteStride, 4);
            }
            if (v.target == Gl.ELEMENT_ARRAY_BUFFER) {
                ctx.issue(GltfIssue.BUFFER_VIEW_INVALID_BYTE_STRIDE, "byteStride");
            }
        }
        v.bufferIndex = J.index(map, "buffer", ctx, true);
        v.byteOffset = J.uint(map, "byteOffset", ctx, false, 0, 0);
        J.str(map, "name", ctx);
        v.extensions = extensions(map, "BufferView");
        v.extras = J.extras(map, ctx);
        return v;
    }

    private Camera parseCamera(ObjectNode map, int i) {
        Camera c = new Camera(i);
        J.checkMembers(map, Set.of("type", "orthographic", "perspective", "name"), ctx);
        if (map.has("orthographic") && map.has("perspective")) {
            ctx.issue(GltfIssue.ONE_OF_MISMATCH, null, List.of("orthographic", "perspective"));
        }
        String type = J.str(map, "type", ctx, true, List.of("orthographic", "perspective"), null, null);
        if ("orthographic".equals(type)) {
            ObjectNode o = J.inner(map, "orthographic", ctx, true);
            if (o != null) {
                ctx.push("orthographic");
                J.checkMembers(o, Set.of("xmag", "ymag", "zfar", "znear"), ctx);
                double xmag = J.num(o, "xmag", ctx, true, Double.NaN);
                double ymag = J.num(o, "ymag", ctx, true, Double.NaN);
                double zfar = J.num(o, "zfar", ctx, true, Double.NEGATIVE_INFINITY, 0, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.NaN);
                double znear = J.num(o, "znear", ctx, true, 0, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.NaN);
                if (zfar <= znear) {
                    ctx.issue(GltfIssue.CAMERA_ZFAR_LEQUAL_ZNEAR, null);
                }
                if (xmag == 0) {
                    ctx.issue(GltfIssue.CAMERA_XMAG_YMAG_ZERO, "xmag");
                } else if (xmag < 0) {
                    ctx.issue(GltfIssue.CAMERA_XMAG_YMAG_NEGATIVE, "xmag");
                }
                if (ymag == 0) {
                    ctx.issue(GltfIssue.CAMERA_XMAG_YMAG_ZERO, "ymag");
                } else if (ymag < 0) {
                    ctx.issue(GltfIssue.CAMERA_XMAG_YMAG_NEGATIVE, "ymag");
                }
                extensions(o, "CameraOrthographic");
                J.extras(o, ctx);
                ctx.pop();
            }
        } else if ("perspective".equals(type)) {
            ObjectNode p = J.inner(map, "perspective", ctx, true);
            if (p != null) {
                ctx.push("perspective");
                J.checkMembers(p, Set.of("aspectRatio", "yfov", "zfar", "znear"), ctx);
                double yfov = J.num(p, "yfov", ctx, true, Double.NEGATIVE_INFINITY, 0, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.NaN);
                if (yfov >= Math.PI) {
                    ctx.issue(GltfIssue.CAMERA_YFOV_GEQUAL_PI, null);
                }
                double zfar = J.num(p, "zfar", ctx, false, Double.NEGATIVE_INFINITY, 0, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.NaN);
                double znear = J.num(p, "znear", ctx, true, Double.NEGATIVE_INFINITY, 0, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.NaN);
                if (zfar <= znear) {
                    ctx.issue(GltfIssue.CAMERA_ZFAR_LEQUAL_ZNEAR, null);
                }
                J.num(p, "aspectRatio", ctx, false, Double.NEGATIVE_INFINITY, 0, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.NaN);
                extensions(p, "CameraPerspective");
                J.extras(p, ctx);
                ctx.pop();
            }
        }
        J.str(map, "name", ctx);
        c.extensions = extensions(map, "Camera");
        c.extras = J.extras(map, ctx);
        return c;
    }

    private Image parseImage(ObjectNode map, int i) {
        Image img = new Image(i);
        J.checkMembers(map, Set.of("bufferView", "mimeType", "uri", "name"), ctx);
        img.bufferViewIndex = J.index(map, "bufferView", ctx, false);
        img.mimeType = J.str(map, "mimeType", ctx, false, imageMimeTypes(), null, null);
        String uri = J.str(map, "uri", ctx, false, null, null, null);
        if (img.bufferViewIndex != -1 && img.mimeType == null) {
            ctx.issue(GltfIssue.UNSATISFIED_DEPENDENCY, "bufferView", "mimeType");
        }
        if ((img.bufferViewIndex != -1) == (uri != null)) {
            ctx.issue(GltfIssue.ONE_OF_MISMATCH, null, List.of("bufferView", "uri"));
        }
        if (uri != null) {
            if (ctx.glb) {
                ctx.issue(GltfIssue.URI_GLB, "uri");
            }
            dev.vsa.core.gltf.resource.GltfUris.DataUri data = Uris.parseDataUri(uri);
            if (data == null) {
                img.uri = Uris.check(uri, ctx);
            } else {
                if (ctx.glb) {
                    ctx.issue(GltfIssue.DATA_URI_GLB, "uri");
                }
                byte[] bytes = data.bytes();
                String detected = bytes == null ? null : dev.vsa.core.gltf.resource.ImageHeaders.detectMimeType(bytes);
                if (detected == null || !detected.equals(data.mimeType().toLowerCase(java.util.Locale.ROOT))) {
                    ctx.issue(GltfIssue.INVALID_URI, "uri", Uris.abbreviate(uri),
                            "The declared mediatype does not match the embedded content.");
                } else {
                    img.dataUri = bytes;
                }
            }
        }
        J.str(map, "name", ctx);
        img.extensions = extensions(map, "Image");
        img.extras = J.extras(map, ctx);
        return img;
    }

    private Material parseMaterial(ObjectNode map, int i) {
        Material m = new Material(i);
        currentMaterial = m;
        J.checkMembers(map, Set.of("pbrMetallicRoughness", "normalTexture", "occlusionTexture", "emissiveTexture",
                "emissiveFactor", "alphaMode", "alphaCutoff", "doubleSided", "name"), ctx);
        ObjectNode pbr = J.inner(map, "pbrMetallicRoughness", ctx, false);
        if (pbr != null) {
            ctx.push("pbrMetallicRoughness");
            J.checkMembers(pbr, Set.of("baseColorFactor", "baseColorTexture", "metallicFactor", "roughnessFactor",
                    "metallicRoughnessTexture"), ctx);
            J.floats(pbr, "baseColorFactor", ctx, false, 0, 1, new int[] {4});
            textureInfo(pbr, "baseColorTexture", m, 0);
            J.num(pbr, "metallicFactor", ctx, false, 0, Double.NEGATIVE_INFINITY, 1, Double.POSITIVE_INFINITY, 1);
            J.num(pbr, "roughnessFactor", ctx, false, 0, Double.NEGATIVE_INFINITY, 1, Double.POSITIVE_INFINITY, 1);
            textureInfo(pbr, "metallicRoughnessTexture", m, 0);
            extensions(pbr, "PbrMetallicRoughness");
            J.extras(pbr, ctx);
            ctx.pop();
        }
        textureInfo(map, "normalTexture", m, 1);
        textureInfo(map, "occlusionTexture", m, 2);
        textureInfo(map, "emissiveTexture", m, 0);
        J.floats(map, "emissiveFactor", ctx, false, 0, 1, new int[] {3});
        String alphaMode = J.str(map, "alphaMode", ctx, false, List.of("OPAQUE", "MASK", "BLEND"), "OPAQUE", null);
        J.num(map, "alphaCutoff", ctx, false, 0, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, 0.5);
        if (!"MASK".equals(alphaMode) && map.has("alphaCutoff")) {
            ctx.issue(GltfIssue.MATERIAL_ALPHA_CUTOFF_INVALID_MODE, "alphaCutoff");
        }
        J.bool(map, "doubleSided", ctx, false);
        J.str(map, "name", ctx);
        m.extensions = extensions(map, "Material");
        m.extras = J.extras(map, ctx);
        currentMaterial = null;
        return m;
    }

    /**
     * kind: 0 plain textureInfo, 1 normal, 2 occlusion, 3 a normal texture of an extension (needs tangents, cannot
     * generate them), 4 a plain texture that needs tangents (anisotropy).
     */
    void textureInfo(ObjectNode parent, String name, Material m, int kind) {
        ObjectNode t = J.inner(parent, name, ctx, false);
        if (t == null) {
            return;
        }
        ctx.push(name);
        J.checkMembers(t, kind == 1 || kind == 3 ? Set.of("index", "texCoord", "scale") : kind == 2
                ? Set.of("index", "texCoord", "strength") : Set.of("index", "texCoord"), ctx);
        extensions(t, "TextureInfo");
        long index = J.index(t, "index", ctx, true);
        long texCoord = J.uint(t, "texCoord", ctx, false, 0, 0);
        if (kind == 1 || kind == 3) {
            J.num(t, "scale", ctx, false, 1);
            m.canProvideTangent |= kind == 1;
        } else if (kind == 2) {
            J.num(t, "strength", ctx, false, 0, Double.NEGATIVE_INFINITY, 1, Double.POSITIVE_INFINITY, 1);
        }
        J.extras(t, ctx);
        m.textures.add(new TextureRef(ctx.pointer(null), index, texCoord, kind == 1 || kind == 3 || kind == 4));
        ctx.pop();
    }

    private Mesh parseMesh(ObjectNode map, int i) {
        Mesh mesh = new Mesh(i);
        J.checkMembers(map, Set.of("primitives", "weights", "name"), ctx);
        mesh.weights = J.floats(map, "weights", ctx, null);
        List<ObjectNode> pm = J.mapList(map, "primitives", ctx);
        if (pm != null) {
            mesh.primitives = new ArrayList<>();
            ctx.push("primitives");
            int targetCount = 0;
            for (int p = 0; p < pm.size(); p++) {
                ctx.push(p);
                Primitive prim = parsePrimitive(pm.get(p));
                int primTargets = prim.targetIndices == null ? 0 : prim.targetIndices.size();
                if (p == 0) {
                    targetCount = primTargets;
                } else if (targetCount != primTargets) {
                    ctx.issue(GltfIssue.MESH_PRIMITIVES_UNEQUAL_TARGETS_COUNT, primTargets > 0 ? "targets" : null);
                }
                mesh.primitives.add(prim);
                ctx.pop();
            }
            ctx.pop();
            if (mesh.weights != null && targetCount != mesh.weights.length) {
                ctx.issue(GltfIssue.MESH_INVALID_WEIGHTS_COUNT, "weights", mesh.weights.length, targetCount);
            }
        }
        J.str(map, "name", ctx);
        mesh.extensions = extensions(map, "Mesh");
        mesh.extras = J.extras(map, ctx);
        return mesh;
    }

    private static int semanticIndex(String s) {
        if (s.isEmpty() || (s.length() > 1 && s.charAt(0) == '0') || s.length() > 9) {
            return -1;
        }
        int r = 0;
        for (int i = 0; i < s.length(); i++) {
            int d = s.charAt(i) - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            r = r * 10 + d;
        }
        return r;
    }

    private Primitive parsePrimitive(ObjectNode map) {
        Primitive p = new Primitive();
        J.checkMembers(map, Set.of("attributes", "indices", "material", "mode", "targets"), ctx);
        // The splat extension decides which attribute names are valid, so look at it first.
        JsonNode extsNode = map.get("extensions");
        boolean splatDeclared = loaded.contains(Splatting.NAME);
        boolean hasSplatExt = splatDeclared && extsNode != null && extsNode.isObject() && extsNode.has(Splatting.NAME);
        int[] max = {-1, -1, -1, -1};
        int[] cnt = {0, 0, 0, 0}; // COLOR, JOINTS, TEXCOORD, WEIGHTS
        p.mode = J.uint(map, "mode", ctx, false, 0, 6, 4, null);
        p.attributeIndices = J.indicesMap(map, "attributes", ctx, semantic -> {
            if (!semantic.isEmpty() && semantic.charAt(0) == '_') {
                return;
            }
            if (semantic.startsWith(Splatting.PREFIX) && splatDeclared) {
                if (!hasSplatExt) {
                    ctx.issue(GltfIssue.KHR_GAUSSIAN_SPLATTING_ATTRIBUTE_OUTSIDE_EXTENSION, semantic, semantic);
                }
                return;
            }
            switch (semantic) {
                case "POSITION" -> p.hasPosition = true;
                case "NORMAL" -> p.hasNormal = true;
                case "TANGENT" -> p.hasTangent = true;
                default -> {
                    String[] parts = semantic.split("_", -1);
                    int kind = switch (parts[0]) {
                        case "COLOR" -> 0;
                        case "JOINTS" -> 1;
                        case "TEXCOORD" -> 2;
                        case "WEIGHTS" -> 3;
                        default -> -1;
                    };
                    if (kind < 0 || parts.length != 2) {
                        ctx.issue(GltfIssue.MESH_PRIMITIVE_INVALID_ATTRIBUTE, semantic);
                        return;
                    }
                    int idx = semanticIndex(parts[1]);
                    if (idx == -1) {
                        ctx.issue(GltfIssue.MESH_PRIMITIVE_INVALID_ATTRIBUTE, semantic);
                        return;
                    }
                    cnt[kind]++;
                    max[kind] = Math.max(max[kind], idx);
                }
            }
        });
        if (p.attributeIndices != null) {
            ctx.push("attributes");
            if (!p.hasPosition) {
                ctx.issue(GltfIssue.MESH_PRIMITIVE_NO_POSITION, null);
            }
            if (!p.hasNormal && p.hasTangent) {
                ctx.issue(GltfIssue.MESH_PRIMITIVE_TANGENT_WITHOUT_NORMAL, "TANGENT");
            }
            String[] names = {"COLOR", "JOINTS", "TEXCOORD", "WEIGHTS"};
            for (int k = 0; k < 4; k++) {
                if (max[k] + 1 != cnt[k]) {
                    ctx.issue(GltfIssue.MESH_PRIMITIVE_INDEXED_SEMANTIC_CONTINUITY, null, names[k], max[k] + 1, cnt[k]);
                    cnt[k] = 0;
                }
            }
            p.colorCount = cnt[0];
            p.jointsCount = cnt[1];
            p.texCoordCount = cnt[2];
            p.weightsCount = cnt[3];
            if (p.jointsCount != p.weightsCount) {
                ctx.issue(GltfIssue.MESH_PRIMITIVE_JOINTS_WEIGHTS_MISMATCH, null, p.jointsCount, p.weightsCount);
                p.jointsCount = 0;
                p.weightsCount = 0;
            }
            ctx.pop();
        }
        p.targetIndices = J.indicesMapsList(map, "targets", ctx, semantic -> {
            if (!semantic.isEmpty() && semantic.charAt(0) == '_') {
                return;
            }
            if (semantic.equals("POSITION") || semantic.equals("NORMAL") || semantic.equals("TANGENT")) {
                return;
            }
            String[] parts = semantic.split("_", -1);
            if (!(parts[0].equals("COLOR") || parts[0].equals("TEXCOORD")) || parts.length != 2
                    || semanticIndex(parts[1]) == -1) {
                ctx.issue(GltfIssue.MESH_PRIMITIVE_INVALID_ATTRIBUTE, semantic);
            }
        });
        p.indicesIndex = J.index(map, "indices", ctx, false);
        p.materialIndex = J.index(map, "material", ctx, false);
        currentPrimitive = p;
        p.extensions = extensions(map, "MeshPrimitive");
        currentPrimitive = null;
        J.extras(map, ctx);
        JsonNode splat = p.extensions.get(Splatting.NAME);
        if (splat instanceof ObjectNode so) {
            ctx.push("extensions");
            ctx.push(Splatting.NAME);
            p.splat = Splatting.parse(so, ctx, this);
            ctx.pop();
            ctx.pop();
        }
        p.usedTexCoords = new boolean[p.texCoordCount];
        return p;
    }

    private Node parseNode(ObjectNode map, int i) {
        Node n = new Node(i);
        currentNode = n;
        J.checkMembers(map, Set.of("camera", "children", "skin", "matrix", "mesh", "rotation", "scale", "translation",
                "weights", "name"), ctx);
        if (map.has("matrix")) {
            n.matrix = J.floats(map, "matrix", ctx, new int[] {16});
        }
        if (map.has("translation")) {
            n.translation = J.floats(map, "translation", ctx, new int[] {3});
        }
        if (map.has("rotation")) {
            n.rotation = J.floats(map, "rotation", ctx, false, -1, 1, new int[] {4});
            if (n.rotation != null) {
                double[] r = n.rotation;
                double len = Math.sqrt(r[0] * r[0] + r[1] * r[1] + r[2] * r[2] + r[3] * r[3]);
                if (Math.abs(1.0 - len) > UNIT_VEC4) {
                    ctx.issue(GltfIssue.ROTATION_NON_UNIT, "rotation");
                }
            }
        }
        if (map.has("scale")) {
            n.scale = J.floats(map, "scale", ctx, new int[] {3});
        }
        n.cameraIndex = J.index(map, "camera", ctx, false);
        n.childrenIndices = J.indices(map, "children", ctx, false);
        n.meshIndex = J.index(map, "mesh", ctx, false);
        n.skinIndex = J.index(map, "skin", ctx, false);
        n.weights = J.floats(map, "weights", ctx, null);
        if (n.meshIndex == -1) {
            if (n.skinIndex != -1) {
                ctx.issue(GltfIssue.UNSATISFIED_DEPENDENCY, "skin", "mesh");
            }
            if (n.weights != null) {
                ctx.issue(GltfIssue.UNSATISFIED_DEPENDENCY, "weights", "mesh");
            }
        }
        if (n.matrix != null) {
            if (n.translation != null || n.rotation != null || n.scale != null) {
                ctx.issue(GltfIssue.NODE_MATRIX_TRS, "matrix");
            }
            if (Matrices.isIdentity(n.matrix)) {
                ctx.issue(GltfIssue.NODE_MATRIX_DEFAULT, "matrix");
            } else if (!Matrices.isTrsDecomposable(n.matrix)) {
                ctx.issue(GltfIssue.NODE_MATRIX_NON_TRS, "matrix");
            }
        }
        J.str(map, "name", ctx);
        n.extensions = extensions(map, "Node");
        n.extras = J.extras(map, ctx);
        currentNode = null;
        return n;
    }

    private Sampler parseSampler(ObjectNode map, int i) {
        Sampler s = new Sampler(i);
        J.checkMembers(map, Set.of("magFilter", "minFilter", "wrapS", "wrapT", "name"), ctx);
        J.uint(map, "magFilter", ctx, false, 0, -1, -1, Gl.MAG_FILTERS);
        J.uint(map, "minFilter", ctx, false, 0, -1, -1, Gl.MIN_FILTERS);
        J.uint(map, "wrapS", ctx, false, 0, -1, 10497, Gl.WRAPS);
        J.uint(map, "wrapT", ctx, false, 0, -1, 10497, Gl.WRAPS);
        J.str(map, "name", ctx);
        s.extensions = extensions(map, "Sampler");
        s.extras = J.extras(map, ctx);
        return s;
    }

    private Scene parseScene(ObjectNode map, int i) {
        Scene s = new Scene(i);
        J.checkMembers(map, Set.of("nodes", "name"), ctx);
        s.nodeIndices = J.indices(map, "nodes", ctx, false);
        J.str(map, "name", ctx);
        s.extensions = extensions(map, "Scene");
        s.extras = J.extras(map, ctx);
        return s;
    }

    private Skin parseSkin(ObjectNode map, int i) {
        Skin s = new Skin(i);
        J.checkMembers(map, Set.of("inverseBindMatrices", "skeleton", "joints", "name"), ctx);
        s.ibmIndex = J.index(map, "inverseBindMatrices", ctx, false);
        s.skeletonIndex = J.index(map, "skeleton", ctx, false);
        s.jointIndices = J.indices(map, "joints", ctx, true);
        J.str(map, "name", ctx);
        s.extensions = extensions(map, "Skin");
        s.extras = J.extras(map, ctx);
        return s;
    }

    private Texture parseTexture(ObjectNode map, int i) {
        Texture t = new Texture(i);
        currentTexture = t;
        J.checkMembers(map, Set.of("sampler", "source", "name"), ctx);
        t.samplerIndex = J.index(map, "sampler", ctx, false);
        t.sourceIndex = J.index(map, "source", ctx, false);
        J.str(map, "name", ctx);
        t.extensions = extensions(map, "Texture");
        t.extras = J.extras(map, ctx);
        currentTexture = null;
        return t;
    }

    /** MIME types images may have: PNG and JPEG, and WebP with EXT_texture_webp. */
    List<String> imageMimeTypes() {
        return loaded.contains("EXT_texture_webp") ? List.of("image/jpeg", "image/png", "image/webp")
                : List.of("image/jpeg", "image/png");
    }

    // ---------------------------------------------------------------- linking

    private void link() {
        new Linker(this).link();
    }

    void setUsage(BufferView v, String usage, String name) {
        v.used = true;
        if (v.usage == null) {
            v.usage = usage;
            if (usage.equals("IndexBuffer") || usage.equals("VertexBuffer")) {
                ctx.issue(GltfIssue.BUFFER_VIEW_TARGET_MISSING, name);
            }
        } else if (!v.usage.equals(usage)) {
            ctx.issue(GltfIssue.BUFFER_VIEW_TARGET_OVERRIDE, name, v.usage, usage);
        }
    }

    void setUsage(Accessor a, String usage, String name) {
        a.used = true;
        if (a.usage == null) {
            a.usage = usage;
        } else if (!a.usage.equals(usage)) {
            ctx.issue(GltfIssue.ACCESSOR_USAGE_OVERRIDE, name, a.usage, usage);
        }
    }

    static double unitVec3() {
        return UNIT_VEC3;
    }

    static double unitVec4() {
        return UNIT_VEC4;
    }
}
