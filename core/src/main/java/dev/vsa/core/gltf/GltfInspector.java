package dev.vsa.core.gltf;

import dev.vsa.core.gltf.resource.GltfUris;
import com.fasterxml.jackson.databind.JsonNode;
import dev.vsa.core.error.MalformedInputException;
import dev.vsa.core.gltf.resource.Json;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Inspects a glTF 2.0 file (JSON or GLB): structure, primitives, images, bytes by use and totals.
 *
 * <p>Works on the raw JSON, leniently: what is missing or broken is left out or null rather than rejected
 * (that is the validator's job), so invalid files can be inspected too. Only the JSON is read whole; of a
 * GLB's BIN chunk and of external files only image headers are read, so large files cost little. (jgltf-model
 * is not used here: it reads every buffer into memory and resolves references eagerly, which fails or masks
 * exactly the broken files an inspection should describe; the tests use it as an independent reader.)
 *
 * <pre>{@code
 * GltfInspection info = GltfInspector.inspect(Path.of("DamagedHelmet.glb"));
 * System.out.println(info.totals().totalTriangleCount() + " triangles in " + info.totals().drawCallCount() + " draw calls");
 * }</pre>
 */
public final class GltfInspector {
    static final String KHR_GAUSSIAN_SPLATTING = "KHR_gaussian_splatting";
    private static final String[] MODE_NAMES = {"POINTS", "LINES", "LINE_LOOP", "LINE_STRIP", "TRIANGLES",
            "TRIANGLE_STRIP", "TRIANGLE_FAN"};
    private static final int INDICES = 0, GEOMETRY = 1, ANIMATION = 2, IMAGES = 3, OTHER = 4;

    private GltfInspector() {
    }

    /**
     * Inspects a .gltf or .glb file (told apart by content). External resources are looked up only inside
     * the file's folder; ones that are missing or outside it are reported without sizes.
     *
     * @throws MalformedInputException {@code EMPTY_FILE}, {@code GLB_BAD_HEADER}, {@code TRUNCATED},
     *                                 {@code LIMIT_EXCEEDED} or {@code GLTF_BAD_JSON} when the container or
     *                                 its JSON cannot be read at all
     * @throws IllegalArgumentException if {@code file} is not a regular file
     * @throws IOException              if the file cannot be read
     */
    public static GltfInspection inspect(Path file) throws IOException {
        GltfSource src = GltfSource.open(file);
        JsonNode root = src.json;
        JsonNode assetNode = root.get("asset");
        GltfInspection.Asset asset = new GltfInspection.Asset(Json.text(assetNode, "version"),
                Json.text(assetNode, "minVersion"), Json.text(assetNode, "generator"),
                Json.text(assetNode, "copyright"));

        List<GltfInspection.Scene> scenes = new ArrayList<>();
        for (JsonNode s : Json.array(root, "scenes")) {
            scenes.add(new GltfInspection.Scene(Json.text(s, "name"), ints(s, "nodes")));
        }
        List<GltfInspection.Node> nodes = new ArrayList<>();
        for (JsonNode n : Json.array(root, "nodes")) {
            nodes.add(new GltfInspection.Node(Json.text(n, "name"), Json.intOrNull(n, "mesh"),
                    Json.intOrNull(n, "skin"), Json.intOrNull(n, "camera"), ints(n, "children")));
        }

        int drawCalls = 0;
        long vertices = 0;
        long triangles = 0;
        long splats = 0;
        List<GltfInspection.Mesh> meshes = new ArrayList<>();
        for (JsonNode m : Json.array(root, "meshes")) {
            List<GltfInspection.Primitive> prims = new ArrayList<>();
            for (JsonNode p : Json.array(m, "primitives")) {
                if (!p.isObject()) {
                    continue; // not a primitive at all (the Khronos validator skips it too)
                }
                GltfInspection.Primitive prim = primitive(root, p);
                prims.add(prim);
                drawCalls++;
                if (prim.vertexCount() >= 0) {
                    vertices += prim.vertexCount();
                    if (prim.extensions().contains(KHR_GAUSSIAN_SPLATTING)) {
                        splats += prim.vertexCount();
                    }
                }
                triangles += prim.triangles();
            }
            meshes.add(new GltfInspection.Mesh(Json.text(m, "name"), prims));
        }

        List<GltfInspection.Material> materials = new ArrayList<>();
        for (JsonNode m : Json.array(root, "materials")) {
            String alpha = Json.text(m, "alphaMode");
            JsonNode ds = m.get("doubleSided");
            materials.add(new GltfInspection.Material(Json.text(m, "name"), alpha == null ? "OPAQUE" : alpha,
                    ds != null && ds.asBoolean(false), countTextureRefs(m), Json.keys(m, "extensions")));
        }

        List<JsonNode> imageNodes = Json.array(root, "images");
        List<GltfInspection.Image> images = new ArrayList<>();
        long imageBytesOutsideBuffers = 0;
        for (int i = 0; i < imageNodes.size(); i++) {
            GltfInspection.Image img = image(src, imageNodes.get(i));
            images.add(img);
            if (img.bufferView() == null && img.byteLength() != null) {
                imageBytesOutsideBuffers += img.byteLength();
            }
        }

        List<GltfInspection.Texture> textures = new ArrayList<>();
        for (JsonNode t : Json.array(root, "textures")) {
            Integer source = textureSource(t);
            GltfInspection.Image img = source != null && source >= 0 && source < images.size()
                    ? images.get(source) : null;
            textures.add(new GltfInspection.Texture(Json.text(t, "name"), source, Json.intOrNull(t, "sampler"),
                    img == null ? null : img.mimeType(), img == null ? null : img.width(),
                    img == null ? null : img.height()));
        }

        List<GltfInspection.Animation> animations = new ArrayList<>();
        for (JsonNode a : Json.array(root, "animations")) {
            Double duration = null;
            for (JsonNode s : Json.array(a, "samplers")) {
                JsonNode input = Json.element(root, "accessors", Json.intOr(s, "input", -1));
                JsonNode max = input == null ? null : input.get("max");
                if (max != null && max.isArray() && max.size() >= 1 && max.get(0).isNumber()) {
                    double d = max.get(0).asDouble();
                    duration = duration == null ? d : Math.max(duration, d);
                }
            }
            animations.add(new GltfInspection.Animation(Json.text(a, "name"), Json.array(a, "channels").size(),
                    Json.array(a, "samplers").size(), duration));
        }

        List<GltfInspection.Skin> skins = new ArrayList<>();
        for (JsonNode s : Json.array(root, "skins")) {
            skins.add(new GltfInspection.Skin(Json.text(s, "name"), Json.array(s, "joints").size()));
        }

        return new GltfInspection(src.glb ? "glb" : "gltf", src.fileSize, asset,
                distinct(Json.strings(root, "extensionsUsed")), distinct(Json.strings(root, "extensionsRequired")),
                Json.intOrNull(root, "scene"), scenes, nodes, meshes, materials, textures, images, animations, skins,
                bytes(root, imageBytesOutsideBuffers),
                new GltfInspection.Totals(drawCalls, vertices, triangles, splats));
    }

    // Khronos: vertex count = count of the first attribute whose accessor exists; the drawn count is the
    // indices accessor's count when there is one, else the vertex count.
    private static GltfInspection.Primitive primitive(JsonNode root, JsonNode p) {
        int mode = Json.intOr(p, "mode", 4);
        long vertexCount = -1;
        JsonNode attrs = p.get("attributes");
        List<String> names = Json.keys(p, "attributes");
        for (String name : names) {
            JsonNode acc = Json.element(root, "accessors", Json.intOr(attrs, name, -1));
            if (acc != null) {
                vertexCount = Json.longOr(acc, "count", 0);
                break;
            }
        }
        Long indexCount = null;
        long count = vertexCount;
        if (p.has("indices")) {
            JsonNode acc = Json.element(root, "accessors", Json.intOr(p, "indices", -1));
            if (acc != null) {
                indexCount = Json.longOr(acc, "count", 0);
                count = indexCount;
            }
        }
        long tris = switch (mode) {
            case 4 -> count > 0 ? count / 3 : 0;
            case 5, 6 -> count > 2 ? count - 2 : 0;
            default -> 0;
        };
        String modeName = mode >= 0 && mode < MODE_NAMES.length ? MODE_NAMES[mode] : "UNKNOWN";
        return new GltfInspection.Primitive(mode, modeName, vertexCount, indexCount, tris, names,
                Json.intOrNull(p, "material"), Json.array(p, "targets").size(), Json.keys(p, "extensions"));
    }

    private static GltfInspection.Image image(GltfSource src, JsonNode img) {
        String uri = Json.text(img, "uri");
        Integer view = Json.intOrNull(img, "bufferView");
        String declared = Json.text(img, "mimeType");
        String storage;
        Blob data = null;
        Long length = null;
        try {
            if (uri != null && GltfUris.isDataUri(uri)) {
                storage = "data-uri";
                if (declared == null) {
                    declared = GltfUris.dataUriMediaType(uri);
                }
                data = Blob.ofBytes(GltfUris.dataUriBytes(uri, null));
            } else if (uri != null) {
                storage = "external";
                data = src.resource(uri, null);
            } else {
                storage = "buffer-view";
                data = view == null ? null : src.bufferView(view);
            }
        } catch (MalformedInputException | IOException e) {
            storage = uri == null ? "buffer-view" : GltfUris.isDataUri(uri) ? "data-uri" : "external";
        }
        Integer width = null;
        Integer height = null;
        if (data != null) {
            length = data.length();
            try {
                dev.vsa.core.gltf.resource.ImageHeaders.Header h = dev.vsa.core.gltf.resource.ImageHeaders.header(data.map());
                if (h != null) {
                    if (declared == null) {
                        declared = h.mimeType();
                    }
                    width = h.width() >= 0 ? h.width() : null;
                    height = h.height() >= 0 ? h.height() : null;
                }
            } catch (IOException e) {
                // unreadable header: sizes stay unknown
            }
        }
        return new GltfInspection.Image(Json.text(img, "name"), storage, GltfUris.isDataUri(uri == null ? "" : uri)
                ? null : uri, view, declared, length, width, height);
    }

    private static Integer textureSource(JsonNode texture) {
        Integer source = Json.intOrNull(texture, "source");
        if (source != null) {
            return source;
        }
        JsonNode ext = texture.get("extensions");
        if (ext != null && ext.isObject()) {
            for (JsonNode e : ext) {
                Integer s = Json.intOrNull(e, "source");
                if (s != null) {
                    return s;
                }
            }
        }
        return null;
    }

    // Any object under a property whose name ends in "Texture" with an "index" is a texture reference.
    private static int countTextureRefs(JsonNode node) {
        int n = 0;
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            JsonNode v = e.getValue();
            if (v.isObject()) {
                if (e.getKey().endsWith("Texture") && v.has("index")) {
                    n++;
                }
                n += countTextureRefs(v);
            }
        }
        return n;
    }

    private static GltfInspection.Bytes bytes(JsonNode root, long imageBytesOutsideBuffers) {
        List<JsonNode> views = Json.array(root, "bufferViews");
        int[] use = new int[views.size()];
        Arrays.fill(use, OTHER);
        for (JsonNode m : Json.array(root, "meshes")) {
            for (JsonNode p : Json.array(m, "primitives")) {
                markAttributes(root, p.get("attributes"), use, GEOMETRY);
                for (JsonNode t : Json.array(p, "targets")) {
                    markAttributes(root, t, use, GEOMETRY);
                }
                markAccessor(root, Json.intOr(p, "indices", -1), use, INDICES);
                JsonNode draco = p.path("extensions").path("KHR_draco_mesh_compression");
                mark(use, Json.intOr(draco, "bufferView", -1), GEOMETRY);
            }
        }
        for (JsonNode n : Json.array(root, "nodes")) {
            markAttributes(root, n.path("extensions").path("EXT_mesh_gpu_instancing").get("attributes"), use,
                    GEOMETRY);
        }
        for (JsonNode a : Json.array(root, "animations")) {
            for (JsonNode s : Json.array(a, "samplers")) {
                markAccessor(root, Json.intOr(s, "input", -1), use, ANIMATION);
                markAccessor(root, Json.intOr(s, "output", -1), use, ANIMATION);
            }
        }
        for (JsonNode img : Json.array(root, "images")) {
            mark(use, Json.intOr(img, "bufferView", -1), IMAGES);
        }
        long[] sums = new long[5];
        for (int i = 0; i < views.size(); i++) {
            sums[use[i]] += Math.max(0, Json.longOr(views.get(i), "byteLength", 0));
        }
        sums[IMAGES] += imageBytesOutsideBuffers;
        long total = 0;
        for (long s : sums) {
            total += s;
        }
        return new GltfInspection.Bytes(sums[GEOMETRY], sums[INDICES], sums[IMAGES], sums[ANIMATION], sums[OTHER],
                total);
    }

    private static void markAttributes(JsonNode root, JsonNode attributes, int[] use, int kind) {
        if (attributes != null && attributes.isObject()) {
            for (JsonNode a : attributes) {
                if (Json.isWhole(a) && a.canConvertToInt()) {
                    markAccessor(root, a.asInt(), use, kind);
                }
            }
        }
    }

    private static void markAccessor(JsonNode root, int accessor, int[] use, int kind) {
        JsonNode acc = Json.element(root, "accessors", accessor);
        if (acc == null) {
            return;
        }
        mark(use, Json.intOr(acc, "bufferView", -1), kind);
        JsonNode sparse = acc.get("sparse");
        if (sparse != null) {
            mark(use, Json.intOr(sparse.get("indices"), "bufferView", -1), kind);
            mark(use, Json.intOr(sparse.get("values"), "bufferView", -1), kind);
        }
    }

    private static void mark(int[] use, int view, int kind) {
        if (view >= 0 && view < use.length && kind < use[view]) {
            use[view] = kind;
        }
    }

    private static List<Integer> ints(JsonNode node, String field) {
        List<Integer> out = new ArrayList<>();
        for (JsonNode n : Json.array(node, field)) {
            if (Json.isWhole(n) && n.canConvertToInt()) {
                out.add(n.asInt());
            }
        }
        return out;
    }

    private static List<String> distinct(List<String> list) {
        return List.copyOf(new LinkedHashSet<>(list));
    }

}
