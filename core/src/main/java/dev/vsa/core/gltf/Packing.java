package dev.vsa.core.gltf;

import dev.vsa.core.gltf.resource.Glb;
import dev.vsa.core.gltf.resource.GltfUris;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vsa.core.error.ErrorCode;
import dev.vsa.core.error.MalformedInputException;
import dev.vsa.core.gltf.resource.Json;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A glTF being repacked: a rewritten copy of its JSON whose bufferViews all point into one buffer, and that
 * buffer's content as a list of pieces of the source's blobs at 4-byte aligned offsets (nothing is copied until
 * the output is written).
 */
final class Packing {
    /** Extensions whose bufferView elements carry their own buffer and byteOffset. */
    private static final List<String> MESHOPT = List.of("EXT_meshopt_compression", "KHR_meshopt_compression");
    /**
     * Extensions known to reference bufferViews only where {@link #unpackImages} renumbers them (or not at all).
     * With any other extension in use, image bufferViews are left in place rather than removed.
     */
    private static final Set<String> RENUMBER_SAFE = Set.of("KHR_texture_transform", "KHR_texture_basisu",
            "EXT_texture_webp", "EXT_texture_avif", "KHR_mesh_quantization", "KHR_lights_punctual",
            "KHR_gaussian_splatting", "EXT_mesh_gpu_instancing", "KHR_draco_mesh_compression",
            "EXT_meshopt_compression", "KHR_meshopt_compression", "KHR_animation_pointer", "KHR_xmp_json_ld",
            "KHR_node_visibility", "MSFT_texture_dds", "EXT_lights_image_based");

    /** A source blob placed at {@code offset} of the merged buffer. */
    record Piece(long offset, Blob data) {
    }

    /** An image taken out of the buffer (or read from its URI), to be written as a file or data URI. */
    record ImageOut(int index, Blob data, String mimeType) {
    }

    final ObjectNode json;
    List<Piece> pieces = new ArrayList<>();
    /** Length of the merged buffer 0. */
    long length;
    private boolean merged;
    private final List<ObjectNode> placeholders = new ArrayList<>();
    /** bufferViews packImages added (compared by identity). */
    private final Set<JsonNode> imageViews = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

    private Packing(ObjectNode json) {
        this.json = json;
    }

    /**
     * Puts every buffer of {@code src} one after another (4-byte aligned) into a single buffer 0, and re-bases
     * every bufferView onto it.
     *
     * @throws MalformedInputException {@code GLTF_BAD_REFERENCE} if a buffer or bufferView is unusable,
     *                                 {@code UNSUPPORTED_FEATURE} for meshopt fallback buffers (no data)
     */
    static Packing merge(GltfSource src) throws IOException {
        Packing p = new Packing(src.json.deepCopy());
        List<JsonNode> buffers = Json.array(p.json, "buffers");
        long[] base = new long[buffers.size()];
        long[] lengths = new long[buffers.size()];
        int[] newIndex = new int[buffers.size()];
        for (int i = 0; i < buffers.size(); i++) {
            if (!buffers.get(i).has("uri") && !(src.glb && i == 0)) {
                // no data here (a placeholder the application fills, or a meshopt fallback): it stays a buffer
                // without uri, after buffer 0
                p.placeholders.add(object(buffers.get(i), "/buffers/" + i));
                newIndex[i] = -p.placeholders.size();
                lengths[i] = Json.longOr(buffers.get(i), "byteLength", 0);
                continue;
            }
            Blob b = src.buffer(i);
            base[i] = Glb.align4(p.length);
            lengths[i] = b.length();
            p.pieces.add(new Piece(base[i], b));
            p.length = base[i] + b.length();
            p.merged = true;
        }
        int first = p.merged ? 1 : 0;
        for (int i = 0; i < buffers.size(); i++) {
            newIndex[i] = newIndex[i] < 0 ? first - newIndex[i] - 1 : 0;
        }
        List<JsonNode> views = Json.array(p.json, "bufferViews");
        for (int j = 0; j < views.size(); j++) {
            ObjectNode v = object(views.get(j), "/bufferViews/" + j);
            rebase(v, base, lengths, newIndex, "/bufferViews/" + j);
            for (String m : MESHOPT) {
                JsonNode e = v.path("extensions").get(m);
                if (e != null) {
                    rebase(object(e, "/bufferViews/" + j + "/extensions/" + m), base, lengths, newIndex,
                            "/bufferViews/" + j + "/extensions/" + m);
                }
            }
        }
        if (!buffers.isEmpty()) {
            p.writeBuffers();
        }
        return p;
    }

    /** Whether some buffer has no data to pack (a placeholder without uri). */
    boolean hasPlaceholders() {
        return !placeholders.isEmpty();
    }

    private static void rebase(ObjectNode v, long[] base, long[] lengths, int[] newIndex, String pointer) {
        int buf = Json.intOr(v, "buffer", -1);
        long off = Json.longOr(v, "byteOffset", 0);
        long len = Json.longOr(v, "byteLength", -1);
        if (buf < 0 || buf >= base.length) {
            throw new MalformedInputException(ErrorCode.GLTF_BAD_REFERENCE, pointer + "/buffer",
                    "there is no buffer " + v.path("buffer"));
        }
        if (off < 0 || len < 0 || off > lengths[buf] - len) {
            throw new MalformedInputException(ErrorCode.GLTF_BAD_REFERENCE, pointer, "the range " + off + "+" + len
                    + " does not fit buffer " + buf + " of " + lengths[buf] + " bytes");
        }
        v.put("buffer", newIndex[buf]);
        setOffset(v, newIndex[buf] == 0 ? base[buf] + off : off);
    }

    private static void shiftBuffer(JsonNode holder) {
        if (holder instanceof ObjectNode o && Json.isWhole(o.get("buffer"))) {
            o.put("buffer", o.get("buffer").asInt() + 1);
        }
    }

    private static void setOffset(ObjectNode v, long offset) {
        if (offset != 0 || v.has("byteOffset")) {
            v.put("byteOffset", offset);
        }
    }

    private static ObjectNode object(JsonNode n, String pointer) {
        if (!(n instanceof ObjectNode o)) {
            throw new MalformedInputException(ErrorCode.GLTF_BAD_REFERENCE, pointer, "is not a JSON object");
        }
        return o;
    }

    /** Whether there is a buffer 0 with data (the GLB's BIN chunk, or the .gltf's .bin). */
    boolean hasData() {
        return merged;
    }

    // buffers = [the merged buffer] + placeholder buffers (none left: no buffers property)
    private void writeBuffers() {
        if (!merged && placeholders.isEmpty()) {
            json.remove("buffers");
            return;
        }
        ArrayNode buffers = json.putArray("buffers");
        if (merged) {
            buffers.addObject().put("byteLength", length);
        }
        placeholders.forEach(buffers::add);
    }

    /**
     * Moves every image with a URI (data URI or file) into the buffer, as a new bufferView with a mimeType.
     *
     * @throws MalformedInputException if an image cannot be read or its type told
     */
    void packImages(GltfSource src) throws IOException {
        List<JsonNode> images = Json.array(json, "images");
        boolean added = false;
        for (int i = 0; i < images.size(); i++) {
            ObjectNode img = object(images.get(i), "/images/" + i);
            String uri = Json.text(img, "uri");
            if (uri == null) {
                continue;
            }
            Blob data = src.resource(uri, "/images/" + i + "/uri");
            String mime = mimeType(img, uri, data, "/images/" + i);
            long offset = Glb.align4(length);
            pieces.add(new Piece(offset, data));
            length = offset + data.length();
            ArrayNode views = json.has("bufferViews") && json.get("bufferViews").isArray()
                    ? (ArrayNode) json.get("bufferViews") : json.putArray("bufferViews");
            ObjectNode view = views.addObject();
            view.put("buffer", 0);
            view.put("byteOffset", offset);
            imageViews.add(view);
            view.put("byteLength", data.length());
            img.remove("uri");
            img.put("bufferView", views.size() - 1);
            img.put("mimeType", mime);
            added = true;
        }
        if (added) {
            if (!merged) {
                // the new buffer 0 goes before the placeholders: their bufferViews move up by one
                merged = true;
                for (JsonNode v : Json.array(json, "bufferViews")) {
                    if (!imageViews.contains(v)) {
                        shiftBuffer(v);
                        for (String m : MESHOPT) {
                            shiftBuffer(v.path("extensions").get(m));
                        }
                    }
                }
            }
            writeBuffers();
        }
    }

    /**
     * Takes images out: those with a URI, and those in bufferViews when every extension in use is one whose
     * bufferView references are known (then the image bufferViews are removed, the rest renumbered, and the
     * image bytes cut from the buffer). Each returned image still needs its new {@code uri} set.
     */
    List<ImageOut> unpackImages(GltfSource src) throws IOException {
        List<ImageOut> out = new ArrayList<>();
        List<JsonNode> images = Json.array(json, "images");
        List<JsonNode> views = Json.array(json, "bufferViews");
        boolean safe = RENUMBER_SAFE.containsAll(Json.strings(json, "extensionsUsed").stream()
                .filter(e -> !e.startsWith("KHR_materials_")).toList());
        Set<Integer> referencedOtherwise = otherViewReferences();
        Set<Integer> removed = new HashSet<>();
        for (int i = 0; i < images.size(); i++) {
            ObjectNode img = object(images.get(i), "/images/" + i);
            String uri = Json.text(img, "uri");
            Integer view = Json.intOrNull(img, "bufferView");
            if (uri != null) {
                Blob data = src.resource(uri, "/images/" + i + "/uri");
                out.add(new ImageOut(i, data, mimeType(img, uri, data, "/images/" + i)));
            } else if (view != null && safe && !referencedOtherwise.contains(view) && view >= 0
                    && view < views.size()) {
                Blob data = src.bufferView(view);
                out.add(new ImageOut(i, data, mimeType(img, null, data, "/images/" + i)));
                removed.add(view);
                img.remove("bufferView");
            }
        }
        if (!removed.isEmpty()) {
            removeViews(removed, views);
        }
        return out;
    }

    // Every bufferView reference outside images that unpackImages renumbers.
    private Set<Integer> otherViewReferences() {
        Set<Integer> refs = new HashSet<>();
        for (JsonNode a : Json.array(json, "accessors")) {
            addRef(refs, a.get("bufferView"));
            addRef(refs, a.path("sparse").path("indices").get("bufferView"));
            addRef(refs, a.path("sparse").path("values").get("bufferView"));
        }
        for (JsonNode m : Json.array(json, "meshes")) {
            for (JsonNode p : Json.array(m, "primitives")) {
                addRef(refs, p.path("extensions").path("KHR_draco_mesh_compression").get("bufferView"));
            }
        }
        return refs;
    }

    private static void addRef(Set<Integer> refs, JsonNode n) {
        if (Json.isWhole(n) && n.canConvertToInt()) {
            refs.add(n.asInt());
        }
    }

    private void removeViews(Set<Integer> removed, List<JsonNode> views) {
        // Cut the removed views' bytes out, in 4-byte multiples so every later offset keeps its alignment, and
        // never where a kept view (or its meshopt data) lies.
        List<long[]> kept = new ArrayList<>();
        List<long[]> cuts = new ArrayList<>();
        for (int j = 0; j < views.size(); j++) {
            JsonNode v = views.get(j);
            long off = Json.longOr(v, "byteOffset", 0);
            long len = Json.longOr(v, "byteLength", 0);
            if (Json.intOr(v, "buffer", -1) != 0) {
                continue; // a fallback buffer's view: not in the cutList buffer
            }
            if (removed.contains(j)) {
                long start = Glb.align4(off);
                long cutLen = (off + len - start) & ~3L;
                if (cutLen > 0) {
                    cuts.add(new long[] {start, start + cutLen});
                }
            } else {
                kept.add(new long[] {off, off + len});
                for (String m : MESHOPT) {
                    JsonNode e = v.path("extensions").get(m);
                    if (e != null) {
                        long eo = Json.longOr(e, "byteOffset", 0);
                        kept.add(new long[] {eo, eo + Json.longOr(e, "byteLength", 0)});
                    }
                }
            }
        }
        cuts.removeIf(c -> kept.stream().anyMatch(k -> k[0] < c[1] && c[0] < k[1]));
        cuts.sort(Comparator.comparingLong(c -> c[0]));
        List<long[]> cutList = new ArrayList<>();
        for (long[] c : cuts) {
            if (!cutList.isEmpty() && c[0] <= cutList.get(cutList.size() - 1)[1]) {
                long[] last = cutList.get(cutList.size() - 1);
                last[1] = Math.max(last[1], c[1]);
            } else {
                cutList.add(c);
            }
        }

        // Renumber: old index -> new index, -1 for removed.
        int[] map = new int[views.size()];
        ArrayNode newViews = json.arrayNode();
        for (int j = 0; j < views.size(); j++) {
            if (removed.contains(j)) {
                map[j] = -1;
                continue;
            }
            map[j] = newViews.size();
            ObjectNode v = (ObjectNode) views.get(j);
            if (Json.intOr(v, "buffer", -1) == 0) {
                setOffset(v, shift(Json.longOr(v, "byteOffset", 0), cutList));
            }
            for (String m : MESHOPT) {
                JsonNode e = v.path("extensions").get(m);
                if (e instanceof ObjectNode eo) {
                    setOffset(eo, shift(Json.longOr(eo, "byteOffset", 0), cutList));
                }
            }
            newViews.add(v);
        }
        for (JsonNode a : Json.array(json, "accessors")) {
            remap(a, map);
            remap(a.path("sparse").path("indices"), map);
            remap(a.path("sparse").path("values"), map);
        }
        for (JsonNode img : Json.array(json, "images")) {
            remap(img, map);
        }
        for (JsonNode m : Json.array(json, "meshes")) {
            for (JsonNode p : Json.array(m, "primitives")) {
                remap(p.path("extensions").path("KHR_draco_mesh_compression"), map);
            }
        }

        List<Piece> cutPieces = new ArrayList<>();
        for (Piece piece : pieces) {
            long pos = piece.offset();
            long end = piece.offset() + piece.data().length();
            for (long[] c : cutList) {
                if (c[1] <= pos || c[0] >= end) {
                    continue;
                }
                if (c[0] > pos) {
                    cutPieces.add(new Piece(shift(pos, cutList), piece.data().slice(pos - piece.offset(), c[0] - pos)));
                }
                pos = Math.max(pos, c[1]);
            }
            if (pos < end) {
                cutPieces.add(new Piece(shift(pos, cutList), piece.data().slice(pos - piece.offset(), end - pos)));
            }
        }
        pieces = cutPieces;
        for (long[] c : cutList) {
            length -= c[1] - c[0];
        }
        if (newViews.isEmpty()) {
            json.remove("bufferViews");
            pieces = new ArrayList<>();
            length = 0;
            merged = false;
            writeBuffers();
        } else {
            json.set("bufferViews", newViews);
            writeBuffers();
        }
    }

    private static long shift(long offset, List<long[]> cuts) {
        long s = offset;
        for (long[] c : cuts) {
            if (c[1] <= offset) {
                s -= c[1] - c[0];
            }
        }
        return s;
    }

    private static void remap(JsonNode holder, int[] map) {
        if (holder instanceof ObjectNode o && Json.isWhole(o.get("bufferView")) && o.get("bufferView").canConvertToInt()) {
            int old = o.get("bufferView").asInt();
            if (old >= 0 && old < map.length && map[old] >= 0) {
                o.put("bufferView", map[old]);
            }
        }
    }

    /** The declared type, else a data URI's, else the header's, else the file name's. */
    static String mimeType(JsonNode img, String uri, Blob data, String pointer) throws IOException {
        String declared = Json.text(img, "mimeType");
        if (declared != null) {
            return declared;
        }
        if (uri != null && GltfUris.isDataUri(uri)) {
            String t = GltfUris.dataUriMediaType(uri);
            if (t != null && t.startsWith("image/")) {
                return t;
            }
        }
        dev.vsa.core.gltf.resource.ImageHeaders.Header h = dev.vsa.core.gltf.resource.ImageHeaders.header(data.map());
        if (h != null) {
            return h.mimeType();
        }
        String lower = uri == null ? "" : uri.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".png")) {
            return "image/png";
        }
        if (lower.endsWith(".jpg") || lower.endsWith(".jpeg")) {
            return "image/jpeg";
        }
        throw new MalformedInputException(ErrorCode.UNSUPPORTED_FEATURE, pointer,
                "the image's type is not declared and its content is not PNG, JPEG, WebP or KTX2");
    }

    /** File name ending for an image type. */
    static String extension(String mimeType) {
        return switch (mimeType) {
            case "image/png" -> ".png";
            case "image/jpeg" -> ".jpg";
            case "image/webp" -> ".webp";
            case "image/ktx2" -> ".ktx2";
            case "image/avif" -> ".avif";
            case "image/vnd-ms.dds" -> ".dds";
            default -> ".bin";
        };
    }
}
