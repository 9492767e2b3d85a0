package dev.vsa.core.gltf;

import dev.vsa.core.gltf.resource.Glb;
import dev.vsa.core.gltf.resource.GltfUris;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vsa.core.error.ErrorCode;
import dev.vsa.core.error.MalformedInputException;
import dev.vsa.core.gltf.resource.Json;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Converts between glTF (JSON with external or embedded resources) and GLB (one binary file).
 *
 * <p>Accessor data is copied byte for byte; bufferViews are re-based onto one buffer (4-byte aligned, so
 * every accessor keeps its alignment) and the rest of the JSON is kept as it is. External URIs are resolved
 * only inside the input's folder. Outputs are written to temporary files and moved into place only when
 * complete. Buffers stream from file to file; only data URIs (which live in the JSON) are held in memory.
 *
 * <pre>{@code
 * GltfConverter.toGlb(Path.of("Box/Box.gltf"), Path.of("Box.glb"));
 * GltfConverter.toGltf(Path.of("Box.glb"), Path.of("out/Box.gltf"), false); // writes out/Box.gltf and out/Box.bin
 * }</pre>
 */
public final class GltfConverter {
    /** Writes the JSON (reading goes through {@link dev.vsa.core.gltf.resource.BoundedJson}). */
    private static final com.fasterxml.jackson.databind.json.JsonMapper WRITER =
            com.fasterxml.jackson.databind.json.JsonMapper.builder().build();
    /** Largest resource written as a data URI. */
    static final long MAX_EMBED_BYTES = 256L << 20;
    /** A GLB's length field is 32 bits. */
    static final long MAX_GLB_BYTES = 0xFFFFFFFFL;

    private GltfConverter() {
    }

    /**
     * Packs a glTF (or GLB) file and everything it references into one GLB: external and data-URI buffers
     * become the single BIN chunk, images become bufferView images with a {@code mimeType}.
     *
     * @param gltf the input, .gltf or .glb (told apart by content)
     * @param glb  the output; replaced if it exists
     * @throws MalformedInputException  if the input cannot be read as glTF ({@code GLTF_BAD_JSON},
     *                                  {@code GLB_BAD_HEADER}, {@code TRUNCATED}), a reference is unusable
     *                                  ({@code GLTF_BAD_REFERENCE}), a URI points outside the input's folder
     *                                  ({@code GLTF_URI_REJECTED}), an image's type cannot be told or a
     *                                  buffer has no data ({@code UNSUPPORTED_FEATURE}), or the result would
     *                                  exceed 4 GiB ({@code LIMIT_EXCEEDED})
     * @throws IllegalArgumentException if {@code gltf} is not a regular file or a path is null
     * @throws IOException              if reading or writing fails
     */
    public static void toGlb(Path gltf, Path glb) throws IOException {
        requireArgs(gltf, glb);
        GltfSource src = GltfSource.open(gltf);
        Packing p = Packing.merge(src);
        p.packImages(src);
        if (!p.hasData() && p.hasPlaceholders()) {
            throw new MalformedInputException(ErrorCode.UNSUPPORTED_FEATURE, "/buffers/0", "no buffer has data to "
                    + "pack (buffers without uri are placeholders), and a GLB's first buffer must be its BIN chunk");
        }
        byte[] json = WRITER.writeValueAsBytes(p.json);
        long jsonChunk = Glb.align4(json.length);
        boolean hasBin = p.hasData();
        long binChunk = hasBin ? Glb.align4(p.length) : 0;
        long total = Glb.MIN_BYTES + jsonChunk
                + (hasBin ? Glb.CHUNK_HEADER_BYTES + binChunk : 0);
        if (total > MAX_GLB_BYTES) {
            throw new MalformedInputException(ErrorCode.LIMIT_EXCEEDED, null,
                    "the GLB would be " + total + " bytes, more than a GLB's 4 GiB");
        }
        try (AtomicFiles out = new AtomicFiles()) {
            try (FileChannel ch = out.create(glb)) {
                ByteBuffer head = ByteBuffer.allocate(Glb.MIN_BYTES)
                        .order(ByteOrder.LITTLE_ENDIAN);
                head.putInt(Glb.MAGIC).putInt(2).putInt((int) total)
                        .putInt((int) jsonChunk).putInt(Glb.CHUNK_JSON).flip();
                writeAll(ch, head);
                writeAll(ch, ByteBuffer.wrap(json));
                pad(ch, jsonChunk - json.length, (byte) ' ');
                if (hasBin) {
                    ByteBuffer binHead = ByteBuffer.allocate(Glb.CHUNK_HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
                    binHead.putInt((int) binChunk).putInt(Glb.CHUNK_BIN).flip();
                    writeAll(ch, binHead);
                    writePieces(ch, p);
                    pad(ch, binChunk - p.length, (byte) 0);
                }
            }
            out.commit();
        }
    }

    /**
     * Unpacks a GLB (or re-packs a glTF) into a glTF JSON file. With {@code embed} false the buffer is written
     * beside it as {@code <name>.bin} and each image as {@code <name>_image<i>.<ext>} (existing files of those
     * names are replaced); with {@code embed} true they become data URIs in the JSON.
     *
     * <p>Images stored in bufferViews are taken out of the buffer and their bufferViews removed, unless the
     * file uses an extension that might reference bufferViews in ways vsa does not renumber; then they stay
     * bufferView images (still valid glTF).
     *
     * @param glb   the input, .glb or .gltf (told apart by content)
     * @param gltf  the output .gltf; replaced if it exists
     * @param embed true to embed everything as data URIs, false to write resources beside the output
     * @throws MalformedInputException  as for {@link #toGlb}, and {@code LIMIT_EXCEEDED} if a resource to
     *                                  embed is larger than 256 MiB
     * @throws IllegalArgumentException if {@code glb} is not a regular file or a path is null
     * @throws IOException              if reading or writing fails
     */
    public static void toGltf(Path glb, Path gltf, boolean embed) throws IOException {
        requireArgs(glb, gltf);
        GltfSource src = GltfSource.open(glb);
        Packing p = Packing.merge(src);
        List<Packing.ImageOut> images = p.unpackImages(src);
        String base = baseName(gltf);
        Path dir = gltf.toAbsolutePath().getParent();
        try (AtomicFiles out = new AtomicFiles()) {
            Set<String> used = new HashSet<>();
            used.add(gltf.getFileName().toString().toLowerCase(Locale.ROOT));
            if (p.hasData()) {
                ObjectNode buffer = (ObjectNode) p.json.get("buffers").get(0);
                if (embed) {
                    if (p.length > MAX_EMBED_BYTES) {
                        throw new MalformedInputException(ErrorCode.LIMIT_EXCEEDED, "/buffers/0", "the buffer is "
                                + p.length + " bytes, more than the " + MAX_EMBED_BYTES + " vsa embeds");
                    }
                    ByteArrayOutputStream bytes = new ByteArrayOutputStream((int) p.length);
                    writePieces(Channels.newChannel(bytes), p);
                    buffer.put("uri", "data:application/octet-stream;base64,"
                            + Base64.getEncoder().encodeToString(bytes.toByteArray()));
                } else {
                    String name = unique(base + ".bin", used);
                    try (FileChannel ch = out.create(dir.resolve(name))) {
                        writePieces(ch, p);
                    }
                    buffer.put("uri", GltfUris.encodeFileName(name));
                }
            }
            List<JsonNode> imageNodes = Json.array(p.json, "images");
            for (Packing.ImageOut img : images) {
                ObjectNode node = (ObjectNode) imageNodes.get(img.index());
                if (embed) {
                    byte[] data = img.data().readAll(MAX_EMBED_BYTES, "image " + img.index());
                    node.put("uri", "data:" + img.mimeType() + ";base64," + Base64.getEncoder().encodeToString(data));
                } else {
                    String name = unique(base + "_image" + img.index() + Packing.extension(img.mimeType()), used);
                    try (FileChannel ch = out.create(dir.resolve(name))) {
                        img.data().copyTo(ch, "image " + img.index());
                    }
                    node.put("uri", GltfUris.encodeFileName(name));
                }
                node.put("mimeType", img.mimeType());
            }
            byte[] json = WRITER.writerWithDefaultPrettyPrinter().writeValueAsBytes(p.json);
            try (FileChannel ch = out.create(gltf)) {
                writeAll(ch, ByteBuffer.wrap(json));
            }
            out.commit();
        }
    }

    private static void requireArgs(Path in, Path out) {
        if (in == null || out == null) {
            throw new IllegalArgumentException("input and output paths must not be null");
        }
        if (!Files.isRegularFile(in)) {
            throw new IllegalArgumentException(in + " is not a regular file");
        }
        if (out.getFileName() == null) {
            throw new IllegalArgumentException(out + " names no file");
        }
    }

    private static String baseName(Path gltf) {
        String name = gltf.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    private static String unique(String name, Set<String> used) {
        String candidate = name;
        for (int i = 2; !used.add(candidate.toLowerCase(Locale.ROOT)); i++) {
            int dot = name.lastIndexOf('.');
            candidate = name.substring(0, dot) + "_" + i + name.substring(dot);
        }
        return candidate;
    }

    // Pieces in offset order, zero bytes in the alignment gaps between them.
    private static void writePieces(WritableByteChannel ch, Packing p) throws IOException {
        long pos = 0;
        for (Packing.Piece piece : p.pieces) {
            if (piece.offset() < pos) {
                throw new IllegalStateException("pieces overlap at " + piece.offset());
            }
            pad(ch, piece.offset() - pos, (byte) 0);
            piece.data().copyTo(ch, "buffer data");
            pos = piece.offset() + piece.data().length();
        }
        pad(ch, p.length - pos, (byte) 0);
    }

    private static void pad(WritableByteChannel ch, long n, byte value) throws IOException {
        if (n > 0) {
            byte[] fill = new byte[(int) Math.min(n, 8192)];
            java.util.Arrays.fill(fill, value);
            long left = n;
            while (left > 0) {
                writeAll(ch, ByteBuffer.wrap(fill, 0, (int) Math.min(left, fill.length)));
                left -= Math.min(left, fill.length);
            }
        }
    }

    private static void writeAll(WritableByteChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }
}
