package dev.vsa.core.scene;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.vsa.core.format.util.BoundedInputStream;
import dev.vsa.core.gltf.resource.Glb;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/** The content checks behind {@link Scenes#detect}, one per format, cheapest first. */
final class SceneSniffer {
    /** Bytes read up front: enough for every magic number and the ksplat main header. */
    static final int HEAD_BYTES = 4096;
    /** A PLY header longer than this is not one vsa reads (3DGS headers are about 2 KiB). */
    static final int MAX_PLY_HEADER = 64 * 1024;
    private static final int SPZ_MAGIC = 0x5053474E; // "NGSP"
    static final String KHR_GS = "KHR_gaussian_splatting";
    /** The first SPZ draft: on the primitive itself, without KHR_gaussian_splatting (3d-tiles-tools' legacy files). */
    static final String KHR_SPZ_LEGACY = "KHR_spz_gaussian_splats_compression";
    private static final int KSPLAT_HEADER = 4096;
    private static final int KSPLAT_SECTION_HEADER = 1024;

    private SceneSniffer() {
    }

    /** The scene, or null when no format matches. */
    static DetectedScene sniff(Path path, long size) throws IOException {
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        ByteBuffer head = ByteBuffer.allocate((int) Math.min(HEAD_BYTES, size)).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            while (head.hasRemaining() && ch.read(head) >= 0) {
                // fill what the file has
            }
            head.flip();
            int n = head.limit();
            if (n >= 4 && head.get(0) == 'p' && head.get(1) == 'l' && head.get(2) == 'y'
                    && (head.get(3) == '\n' || (head.get(3) == '\r' && n >= 5 && head.get(4) == '\n'))) {
                return ply(ch, size);
            }
            if (n >= 12 && head.getInt(0) == Glb.MAGIC) {
                return glb(ch, head, size);
            }
            if (n >= 8 && head.getInt(0) == SPZ_MAGIC) {
                int version = head.getInt(4);
                return splatScene(SceneFormat.SPZ, Integer.toUnsignedString(version),
                        version >= 4 ? "zstd" : "uncompressed");
            }
        }
        // The checks below are weaker than a magic number (two bytes, a '{'): one that does not confirm its format
        // falls through, so a .splat (no magic; its first bytes are a float's) that happens to start with them
        // is still found by its name (about 1 random .splat in 256 starts with '{').
        if (head.limit() >= 2 && (head.get(0) & 0xFF) == 0x1F && (head.get(1) & 0xFF) == 0x8B) {
            DetectedScene spz = gzippedSpz(path, name);
            if (spz != null) {
                return spz;
            }
        }
        // PlayCanvas SOG: a zip (bundled .sog) or its meta.json (unbundled)
        if (head.limit() >= 4 && head.get(0) == 'P' && head.get(1) == 'K' && head.get(2) == 3 && head.get(3) == 4
                && (name.endsWith(".sog") || ascii(head).contains("meta.json"))) {
            return splatScene(SceneFormat.SOG, null, "bundled");
        }
        if (startsLikeJson(head) && name.endsWith("meta.json") && !name.endsWith("lod-meta.json")
                && ascii(head).contains("\"means\"")) {
            return splatScene(SceneFormat.SOG, null, "unbundled");
        }
        if (startsLikeJson(head) && name.endsWith("lod-meta.json") && ascii(head).contains("\"lodLevels\"")) {
            return splatScene(SceneFormat.LOD, null, "LOD set");
        }
        if (startsLikeJson(head)) {
            DetectedScene gltf = gltfJson(path, name);
            if (gltf != null) {
                return gltf;
            }
        }
        DetectedScene ksplat = ksplat(head, size);
        if (ksplat != null) {
            return ksplat;
        }
        if (name.endsWith(".splat")) {
            return splatScene(SceneFormat.SPLAT, null, "");
        }
        if (name.endsWith(".ksplat")) {
            // named .ksplat but too short or inconsistent for the header check: its reader names what is wrong
            // (a file cut in half is KSPLAT_TRUNCATED, not "not a scene format")
            return splatScene(SceneFormat.KSPLAT, null, "");
        }
        return null;
    }

    private static DetectedScene splatScene(SceneFormat format, String version, String variant) {
        return new DetectedScene(SceneKind.SPLAT, format, false, version, variant);
    }

    // PLY: the header's lines decide between the 3DGS layout and PlayCanvas' packed one.
    private static DetectedScene ply(FileChannel ch, long size) throws IOException {
        int limit = (int) Math.min(MAX_PLY_HEADER, size);
        ByteBuffer buf = ByteBuffer.allocate(limit);
        ch.position(0);
        while (buf.hasRemaining() && ch.read(buf) >= 0) {
            // fill
        }
        String text = new String(buf.array(), 0, buf.position(), StandardCharsets.ISO_8859_1);
        int end = text.indexOf("end_header");
        String header = end < 0 ? text : text.substring(0, end);
        String version = null;
        String variant = "";
        boolean chunkElement = false;
        boolean packed = false;
        for (String raw : header.split("\n")) {
            String[] t = raw.trim().split("\\s+");
            if (t.length >= 3 && t[0].equals("format")) {
                variant = t[1];
                version = t[2];
            } else if (t.length >= 2 && t[0].equals("element") && t[1].equals("chunk")) {
                chunkElement = true;
            } else if (t.length >= 3 && t[0].equals("property") && t[t.length - 1].startsWith("packed_")) {
                packed = true;
            }
        }
        SceneFormat format = chunkElement && packed ? SceneFormat.COMPRESSED_PLY : SceneFormat.PLY;
        return splatScene(format, version, variant);
    }

    // GLB: 12-byte header, then the JSON chunk, which says whether any primitive is a splat.
    private static DetectedScene glb(FileChannel ch, ByteBuffer head, long size) throws IOException {
        long container = Integer.toUnsignedLong(head.getInt(4));
        if (container != 2 || head.limit() < 20 || head.getInt(16) != Glb.CHUNK_JSON) {
            String variant = container == 2 ? "" : "glb-v" + container;
            return new DetectedScene(SceneKind.MESH, SceneFormat.GLB, false, null, variant);
        }
        long jsonLength = Math.min(Integer.toUnsignedLong(head.getInt(12)), size - 20);
        ch.position(20);
        InputStream json = new BoundedInputStream(Channels.newInputStream(ch), jsonLength);
        GltfFacts facts = GltfFacts.scan(json);
        return facts.toScene(SceneFormat.GLB);
    }

    private static DetectedScene gltfJson(Path path, String name) throws IOException {
        GltfFacts facts;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(path), 64 * 1024)) {
            facts = GltfFacts.scan(in);
        }
        if (!facts.hasAsset && (!facts.broken || !name.endsWith(".gltf"))) {
            return null; // some other JSON
        }
        return facts.toScene(SceneFormat.GLTF);
    }

    private static boolean startsLikeJson(ByteBuffer head) {
        int i = 0;
        int n = head.limit();
        if (n >= 3 && (head.get(0) & 0xFF) == 0xEF && (head.get(1) & 0xFF) == 0xBB && (head.get(2) & 0xFF) == 0xBF) {
            i = 3; // UTF-8 BOM (not allowed by glTF, but the validator should say so, not detection)
        }
        while (i < n && (head.get(i) == ' ' || head.get(i) == '\t' || head.get(i) == '\r' || head.get(i) == '\n')) {
            i++;
        }
        return i < n && head.get(i) == '{';
    }

    // SPZ v2/v3: the whole payload is gzip; its first 16 bytes are the NGSP header.
    private static DetectedScene gzippedSpz(Path path, String name) throws IOException {
        byte[] header = new byte[16];
        int got = 0;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(path), 512)) {
            while (got < header.length) {
                int r = in.read(header, got, header.length - got);
                if (r < 0) {
                    break;
                }
                got += r;
            }
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            // a corrupt stream: leave it to the SPZ validator if the name claims SPZ
            return name.endsWith(".spz") ? splatScene(SceneFormat.SPZ, null, "gzip") : null;
        }
        ByteBuffer h = ByteBuffer.wrap(header, 0, got).order(ByteOrder.LITTLE_ENDIAN);
        if (got >= 8 && h.getInt(0) == SPZ_MAGIC) {
            return splatScene(SceneFormat.SPZ, Integer.toUnsignedString(h.getInt(4)), "gzip");
        }
        return null;
    }

    private static String ascii(ByteBuffer head) {
        byte[] b = new byte[head.limit()];
        head.duplicate().position(0).get(b);
        return new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    // ksplat has no magic number: accept a main header whose fields are consistent with the file's size.
    private static DetectedScene ksplat(ByteBuffer head, long size) {
        if (head.limit() < KSPLAT_HEADER || size < KSPLAT_HEADER + KSPLAT_SECTION_HEADER) {
            return null;
        }
        int major = head.get(0) & 0xFF;
        int minor = head.get(1) & 0xFF;
        long maxSections = Integer.toUnsignedLong(head.getInt(4));
        long sections = Integer.toUnsignedLong(head.getInt(8));
        int compression = head.getShort(20) & 0xFFFF;
        if (major != 0 || minor < 1 || head.get(2) != 0 || head.get(3) != 0 || maxSections < 1
                || sections > maxSections || compression > 2
                || maxSections > (size - KSPLAT_HEADER) / KSPLAT_SECTION_HEADER) {
            return null;
        }
        return splatScene(SceneFormat.KSPLAT, major + "." + minor, "compression " + compression);
    }

    /** What a streaming pass over a glTF's JSON found. */
    private static final class GltfFacts {
        private static final JsonFactory JSON = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(256).build())
                .build();

        boolean hasAsset;
        String version;
        boolean khrUsed;
        boolean khrPrimitive;
        boolean broken;

        static GltfFacts scan(InputStream in) throws IOException {
            GltfFacts f = new GltfFacts();
            try (JsonParser p = JSON.createParser(in)) {
                if (p.nextToken() != JsonToken.START_OBJECT) {
                    f.broken = true;
                    return f;
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    JsonToken value = p.nextToken();
                    switch (field) {
                        case "asset" -> f.scanAsset(p, value);
                        case "extensionsUsed" -> f.scanExtensionsUsed(p, value);
                        case "meshes" -> f.scanMeshes(p, value);
                        default -> p.skipChildren();
                    }
                }
            } catch (com.fasterxml.jackson.core.JacksonException e) {
                f.broken = true;
            }
            return f;
        }

        private void scanAsset(JsonParser p, JsonToken value) throws IOException {
            if (value != JsonToken.START_OBJECT) {
                p.skipChildren();
                return;
            }
            hasAsset = true;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                if (field.equals("version") && v == JsonToken.VALUE_STRING) {
                    version = p.getText();
                } else {
                    p.skipChildren();
                }
            }
        }

        private void scanExtensionsUsed(JsonParser p, JsonToken value) throws IOException {
            if (value != JsonToken.START_ARRAY) {
                p.skipChildren();
                return;
            }
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY && t != null) {
                if (t == JsonToken.VALUE_STRING && (KHR_GS.equals(p.getText()) || KHR_SPZ_LEGACY.equals(p.getText()))) {
                    khrUsed = true;
                }
                p.skipChildren();
            }
        }

        // meshes[*].primitives[*].extensions.KHR_gaussian_splatting (or the legacy SPZ name), without building a tree
        private void scanMeshes(JsonParser p, JsonToken value) throws IOException {
            if (value != JsonToken.START_ARRAY) {
                p.skipChildren();
                return;
            }
            JsonToken mesh;
            while ((mesh = p.nextToken()) != JsonToken.END_ARRAY && mesh != null) {
                if (mesh != JsonToken.START_OBJECT) {
                    p.skipChildren();
                    continue;
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    JsonToken v = p.nextToken();
                    if (field.equals("primitives") && v == JsonToken.START_ARRAY) {
                        scanPrimitives(p);
                    } else {
                        p.skipChildren();
                    }
                }
            }
        }

        private void scanPrimitives(JsonParser p) throws IOException {
            JsonToken prim;
            while ((prim = p.nextToken()) != JsonToken.END_ARRAY && prim != null) {
                if (prim != JsonToken.START_OBJECT) {
                    p.skipChildren();
                    continue;
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    JsonToken v = p.nextToken();
                    if (field.equals("extensions") && v == JsonToken.START_OBJECT) {
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            if (KHR_GS.equals(p.currentName()) || KHR_SPZ_LEGACY.equals(p.currentName())) {
                                khrPrimitive = true;
                            }
                            p.nextToken();
                            p.skipChildren();
                        }
                    } else {
                        p.skipChildren();
                    }
                }
            }
        }

        DetectedScene toScene(SceneFormat format) {
            // A splat scene only if a primitive carries the extension; declaring it is not enough.
            return new DetectedScene(khrPrimitive ? SceneKind.SPLAT : SceneKind.MESH, format,
                    khrPrimitive || khrUsed, version, "");
        }
    }
}
