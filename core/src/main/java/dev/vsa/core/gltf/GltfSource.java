package dev.vsa.core.gltf;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vsa.core.gltf.resource.BoundedJson;
import dev.vsa.core.gltf.resource.Glb;
import dev.vsa.core.gltf.resource.GltfUris;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vsa.core.error.ErrorCode;
import dev.vsa.core.error.MalformedInputException;
import dev.vsa.core.gltf.resource.Json;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A glTF or GLB file opened for reading: its JSON as a tree, and its buffers and images as {@link Blob}s
 * that are read on demand. Only the JSON is held in memory; a GLB's BIN chunk stays in the file.
 */
final class GltfSource {
    /** Largest JSON (a .gltf file or a GLB's JSON chunk) vsa parses; embedded data URIs make it large. */
    static final long MAX_JSON_BYTES = 512L << 20;

    private static final BoundedJson JSON = new BoundedJson(256, MAX_JSON_BYTES);

    final Path path;
    final Path folder;
    final boolean glb;
    final long fileSize;
    final ObjectNode json;
    /** The GLB's BIN chunk data, or null (a .gltf, or a GLB without BIN chunk). */
    final Blob bin;

    private GltfSource(Path path, boolean glb, long fileSize, ObjectNode json, Blob bin) {
        this.path = path;
        Path parent = path.toAbsolutePath().getParent();
        this.folder = parent;
        this.glb = glb;
        this.fileSize = fileSize;
        this.json = json;
        this.bin = bin;
    }

    /**
     * Opens a glTF (JSON) or GLB file, told apart by the GLB magic.
     *
     * @throws MalformedInputException {@code EMPTY_FILE}, {@code GLB_BAD_HEADER} and {@code TRUNCATED} (see
     *                                 {@link Glb#open}),
     *                                 {@code LIMIT_EXCEEDED} (also past the {@link dev.vsa.core.gltf.resource.JsonBudget})
     *                                 or {@code GLTF_BAD_JSON}
     */
    static GltfSource open(Path path) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException(path + " is not a regular file");
        }
        long size = Files.size(path);
        if (size == 0) {
            throw new MalformedInputException(ErrorCode.EMPTY_FILE, null, path.getFileName() + " is empty");
        }
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer head = ByteBuffer.allocate((int) Math.min(4, size));
            while (head.hasRemaining() && ch.read(head, head.position()) >= 0) {
                // the magic's bytes
            }
            if (Glb.hasMagic(head.flip())) {
                return openGlb(path, ch, size);
            }
            if (size > MAX_JSON_BYTES) {
                throw new MalformedInputException(ErrorCode.LIMIT_EXCEEDED, null, "the glTF JSON is " + size
                        + " bytes, more than the " + MAX_JSON_BYTES + " vsa parses");
            }
            ObjectNode json = parse(Channels.newInputStream(ch.position(0)), "the glTF JSON");
            return new GltfSource(path, false, size, json, null);
        }
    }

    private static GltfSource openGlb(Path path, FileChannel ch, long size) throws IOException {
        Glb.Layout glb = Glb.open(ch, MAX_JSON_BYTES);
        ObjectNode json = parse(Glb.data(ch, glb.json()), "the GLB's JSON chunk");
        Blob bin = glb.bin() == null ? null : Blob.ofFile(path, glb.bin().dataOffset(), glb.bin().length());
        return new GltfSource(path, true, size, json, bin);
    }

    private static ObjectNode parse(InputStream in, String what) throws IOException {
        return JSON.readObject(in, what);
    }

    /**
     * The bytes of {@code buffers[index]}: the BIN chunk, a data URI or a file beside the glTF, exactly
     * {@code byteLength} long.
     *
     * @throws MalformedInputException {@code GLTF_BAD_REFERENCE} (no such buffer, missing data, too short),
     *                                 {@code GLTF_URI_REJECTED}
     */
    Blob buffer(int index) throws IOException {
        String pointer = "/buffers/" + index;
        JsonNode buffer = Json.element(json, "buffers", index);
        if (buffer == null) {
            throw new MalformedInputException(ErrorCode.GLTF_BAD_REFERENCE, pointer, "there is no buffer " + index);
        }
        long byteLength = Json.longOr(buffer, "byteLength", -1);
        if (byteLength < 0) {
            throw new MalformedInputException(ErrorCode.GLTF_BAD_REFERENCE, pointer + "/byteLength",
                    "the buffer has no valid byteLength");
        }
        String uri = Json.text(buffer, "uri");
        Blob data;
        if (uri == null) {
            if (!glb || index != 0 || bin == null) {
                throw new MalformedInputException(ErrorCode.GLTF_BAD_REFERENCE, pointer,
                        "the buffer has no uri and is not the GLB's BIN chunk");
            }
            data = bin;
        } else {
            data = resource(uri, pointer + "/uri");
        }
        Blob exact = data.slice(0, byteLength);
        if (exact == null) {
            throw new MalformedInputException(ErrorCode.GLTF_BAD_REFERENCE, pointer + "/byteLength",
                    "the buffer's byteLength " + byteLength + " is more than its " + data.length() + " bytes of data");
        }
        return exact;
    }

    /** A data URI's bytes or a file beside the glTF. */
    Blob resource(String uri, String pointer) throws IOException {
        if (GltfUris.isDataUri(uri)) {
            return Blob.ofBytes(GltfUris.dataUriBytes(uri, pointer));
        }
        Path file = GltfUris.file(folder, uri, pointer);
        return Blob.ofFile(file, 0, Files.size(file));
    }

    /**
     * The bytes of {@code bufferViews[index]}.
     *
     * @throws MalformedInputException {@code GLTF_BAD_REFERENCE} if the view or its buffer is unusable
     */
    Blob bufferView(int index) throws IOException {
        String pointer = "/bufferViews/" + index;
        JsonNode view = Json.element(json, "bufferViews", index);
        if (view == null) {
            throw new MalformedInputException(ErrorCode.GLTF_BAD_REFERENCE, pointer, "there is no bufferView " + index);
        }
        Blob buffer = buffer(Json.intOr(view, "buffer", -1));
        long offset = Json.longOr(view, "byteOffset", 0);
        long length = Json.longOr(view, "byteLength", -1);
        Blob slice = buffer.slice(offset, length);
        if (slice == null) {
            throw new MalformedInputException(ErrorCode.GLTF_BAD_REFERENCE, pointer, "the bufferView's range "
                    + offset + "+" + length + " is outside its buffer of " + buffer.length() + " bytes");
        }
        return slice;
    }
}
