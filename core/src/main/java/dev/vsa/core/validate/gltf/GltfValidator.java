package dev.vsa.core.validate.gltf;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vsa.core.format.util.BoundedInputStream;
import dev.vsa.core.gltf.resource.BoundedJson;
import dev.vsa.core.gltf.resource.Glb;
import dev.vsa.core.validate.Info;
import dev.vsa.core.validate.IssueSink;
import dev.vsa.core.validate.Resource;
import dev.vsa.core.validate.gltf.Model.Mesh;
import dev.vsa.core.validate.gltf.Model.Primitive;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * glTF 2.0 / GLB validation (internal to {@link dev.vsa.core.validate.Validator}; public only so that package
 * can call it). Reads the JSON (at most {@link #MAX_JSON_BYTES}, nesting at most {@link #MAX_DEPTH}) into a tree,
 * memory-maps the BIN chunk and external buffers, and checks everything the Khronos glTF-Validator checks for the
 * core specification plus KHR_gaussian_splatting.
 */
public final class GltfValidator {
    /** Largest JSON (a .gltf file or a GLB JSON chunk) read; larger ones get JSON_TOO_LARGE. */
    public static final long MAX_JSON_BYTES = 128L << 20;
    /** Deepest JSON nesting accepted. */
    public static final int MAX_DEPTH = 256;

    private static final BoundedJson JSON = new BoundedJson(MAX_DEPTH, MAX_JSON_BYTES);

    private GltfValidator() {
    }

    /**
     * Validates a glTF JSON or GLB file into {@code sink}.
     *
     * @param file the file
     * @param glb  true for GLB, false for JSON
     * @param sink where issues go
     * @return the report's info, or null if the JSON could not be read far enough
     * @throws IOException if the file itself cannot be read
     */
    public static Info validate(Path file, boolean glb, IssueSink sink) throws IOException {
        Ctx ctx = new Ctx(sink, glb);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long jsonOffset = 0;
            long jsonLength = ch.size();
            ByteBuffer bin = null;
            long binOffset = 0;
            if (glb) {
                Glb.Layout layout = GlbReader.read(ch, ctx);
                if (layout.emptyJsonBeforeData()) {
                    ctx.issueAt("", GltfIssue.INVALID_JSON, "Unexpected end of input (at offset 0)");
                }
                if (layout.aborted() || layout.json() == null || layout.json().length() == 0) {
                    return null;
                }
                jsonOffset = layout.json().dataOffset();
                jsonLength = layout.json().length();
                if (layout.bin() != null) {
                    if (layout.bin().length() > Integer.MAX_VALUE) {
                        ctx.issueAt("", GltfIssue.VALIDATION_LIMIT, "The BIN chunk is larger than 2 GiB; its data was not checked.");
                    } else {
                        bin = ch.map(FileChannel.MapMode.READ_ONLY, layout.bin().dataOffset(), layout.bin().length())
                                .order(ByteOrder.LITTLE_ENDIAN);
                        binOffset = layout.bin().dataOffset();
                    }
                }
            }
            if (jsonLength > MAX_JSON_BYTES) {
                ctx.issueAt("", GltfIssue.JSON_TOO_LARGE, "The JSON is " + jsonLength + " bytes; vsa validates at most "
                        + MAX_JSON_BYTES + ".");
                return null;
            }
            return validateJson(ch, jsonOffset, jsonLength, file, ctx, bin, binOffset);
        }
    }

    // The JSON is streamed from the file (never held whole): only the tree is kept, within the JsonBudget.
    private static Info validateJson(FileChannel ch, long offset, long length, Path file, Ctx ctx, ByteBuffer bin,
                                     long binOffset) throws IOException {
        ByteBuffer head = ByteBuffer.allocate((int) Math.min(3, length));
        while (head.hasRemaining() && ch.read(head, offset + head.position()) >= 0) {
            // positional reads until the first bytes are in
        }
        int start = 0;
        if (head.position() > 0 && (head.get(0) & 0xFF) == 0xEF) {
            ctx.issueAt("", GltfIssue.INVALID_JSON, "BOM found at the beginning of UTF-8 stream.");
            if (head.position() == 3 && (head.get(1) & 0xFF) == 0xBB && (head.get(2) & 0xFF) == 0xBF) {
                start = 3;
            }
        }
        JsonNode root;
        try {
            root = JSON.read(new BufferedInputStream(new BoundedInputStream(
                    Channels.newInputStream(ch.position(offset + start)), length - start), 1 << 16));
        } catch (BoundedJson.OverBudget e) {
            ctx.issueAt("", GltfIssue.JSON_TOO_LARGE, "The JSON " + e.getMessage() + ".");
            return null;
        } catch (JsonProcessingException e) {
            ctx.issueAt("", GltfIssue.INVALID_JSON, BoundedJson.message(e) + location(e));
            return null;
        } catch (IOException | RuntimeException e) {
            ctx.issueAt("", GltfIssue.INVALID_JSON, String.valueOf(e.getMessage()));
            return null;
        }
        if (root == null) {
            ctx.issueAt("", GltfIssue.INVALID_JSON, "Unexpected end of input (at offset 0)");
            return null;
        }
        if (!(root instanceof ObjectNode obj)) {
            ctx.issueAt("", GltfIssue.TYPE_MISMATCH, Fmt.mbq(root), "object");
            return null;
        }
        GltfParser g = new GltfParser(ctx);
        if (!g.parse(obj)) {
            return g.version == null ? null : info(g, List.of());
        }
        Path folder = file.toAbsolutePath().getParent();
        Resources res = new Resources(g, folder, bin, bin == null ? null : ch, binOffset);
        try {
            res.loadBuffers();
            res.loadImages();
            new DataCheck(g).run();
            res.validateTextures();
        } finally {
            res.closeAll();
        }
        return info(g, res.resources);
    }

    private static String location(JsonProcessingException e) {
        var loc = e.getLocation();
        return loc == null ? "" : " (at offset " + loc.getByteOffset() + ")";
    }

    private static Info info(GltfParser g, List<Resource> resources) {
        List<String> used = g.extensionsUsed.isEmpty() ? null : List.copyOf(new LinkedHashSet<>(g.extensionsUsed));
        List<String> required = g.extensionsRequired.isEmpty() ? null : List.copyOf(new LinkedHashSet<>(g.extensionsRequired));
        boolean morph = false;
        int drawCalls = 0;
        int maxAttributes = 0;
        int maxUvs = 0;
        int maxInfluences = 0;
        long vertices = 0;
        long triangles = 0;
        long splats = 0;
        int shDegree = -1;
        for (Mesh m : g.meshes) {
            if (m == null || m.primitives == null) {
                continue;
            }
            drawCalls += m.primitives.size();
            for (Primitive p : m.primitives) {
                morph |= p.targets != null;
                if (p.vertexCount != -1) {
                    vertices += p.vertexCount;
                }
                long c = p.count;
                triangles += p.mode == 4 ? c / 3 : (p.mode == 5 || p.mode == 6) ? (c > 2 ? c - 2 : 0) : 0;
                maxAttributes = Math.max(maxAttributes, p.attributes.size());
                maxUvs = Math.max(maxUvs, p.texCoordCount);
                maxInfluences = Math.max(maxInfluences, p.jointsCount * 4);
                if (p.splat != null && p.vertexCount != -1) {
                    splats += p.vertexCount;
                    shDegree = Math.max(shDegree, Splatting.shDegree(p));
                }
            }
        }
        return new Info(g.version, g.minVersion, g.generator, used, required,
                resources.isEmpty() ? null : new ArrayList<>(resources),
                g.animations.size(), g.materials.size(), morph, !g.skins.isEmpty(), !g.textures.isEmpty(),
                g.sceneIndex != -1 && GltfParser.at(g.scenes, g.sceneIndex) != null, drawCalls, vertices, triangles,
                maxUvs, maxInfluences, maxAttributes, shDegree >= 0 ? splats : null, shDegree >= 0 ? shDegree : null);
    }
}
