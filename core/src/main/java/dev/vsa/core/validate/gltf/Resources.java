package dev.vsa.core.validate.gltf;

import dev.vsa.core.gltf.resource.GltfUris;
import dev.vsa.core.gltf.resource.ImageHeaders;
import dev.vsa.core.validate.Resource;
import dev.vsa.core.validate.gltf.Model.Buffer;
import dev.vsa.core.validate.gltf.Model.Image;
import dev.vsa.core.validate.gltf.Model.Texture;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads buffers (GLB BIN chunk, data URIs, external files next to the asset) as memory maps or small arrays, and
 * reads image headers. External files are only read inside the asset's folder.
 */
final class Resources {
    private final GltfParser g;
    private final Ctx ctx;
    private final Path folder;
    private final ByteBuffer glbBin;
    private final FileChannel glbChannel;
    private final long glbOffset;
    private FileChannel lastChannel;
    private final List<FileChannel> open = new ArrayList<>();
    final List<Resource> resources = new ArrayList<>();

    Resources(GltfParser g, Path folder, ByteBuffer glbBin, FileChannel glbChannel, long glbOffset) {
        this.g = g;
        this.ctx = g.ctx;
        this.folder = folder;
        this.glbBin = glbBin;
        this.glbChannel = glbChannel;
        this.glbOffset = glbOffset;
    }

    void closeAll() {
        for (FileChannel c : open) {
            try {
                c.close();
            } catch (IOException e) {
                // read-only channel; nothing to recover
            }
        }
    }

    /**
     * Maps a whole external file read-only; null (with an IO_ERROR, as the Khronos validator reports a resource it
     * cannot load) if it cannot be read or vsa refuses to read it (absolute, a scheme, outside the asset's folder).
     */
    private ByteBuffer mapExternal(String uri) {
        try {
            GltfUris.Resolved r = GltfUris.resolve(folder, uri);
            if (r.refusal() == GltfUris.Refusal.MISSING) {
                ctx.issue(GltfIssue.IO_ERROR, "uri", "Resource not found (" + uri + ").");
                return null;
            }
            if (r.refusal() != null) {
                ctx.issue(GltfIssue.IO_ERROR, "uri", "Resource not read (" + uri + "): the URI " + r.refusal().why()
                        + "; vsa reads only files inside the asset's folder.");
                return null;
            }
            FileChannel ch = FileChannel.open(r.file(), StandardOpenOption.READ);
            open.add(ch);
            lastChannel = ch;
            long size = ch.size();
            if (size > Integer.MAX_VALUE) {
                ctx.issue(GltfIssue.VALIDATION_LIMIT, "uri", "The file is larger than 2 GiB; its data was not checked.");
                return null;
            }
            return ch.map(FileChannel.MapMode.READ_ONLY, 0, size).order(ByteOrder.LITTLE_ENDIAN);
        } catch (NoSuchFileException e) {
            ctx.issue(GltfIssue.IO_ERROR, "uri", "Resource not found (" + uri + ").");
        } catch (IOException | SecurityException e) {
            ctx.issue(GltfIssue.IO_ERROR, "uri", "Cannot read " + uri + ": " + e.getMessage());
        }
        return null;
    }

    void loadBuffers() {
        ctx.clear();
        ctx.push("buffers");
        for (int i = 0; i < g.buffers.size(); i++) {
            Buffer b = g.buffers.get(i);
            if (b == null) {
                continue;
            }
            ctx.push(i);
            String pointer = ctx.pointer(null);
            String storage = null;
            String uri = null;
            ByteBuffer data = null;
            if (b.byteLength != -1) {
                if (b.uri != null) {
                    storage = "external";
                    uri = b.uri;
                    lastChannel = null;
                    data = mapExternal(b.uri);
                    if (data != null) {
                        b.channel = lastChannel;
                        b.channelOffset = 0;
                    }
                } else if (b.dataUri != null) {
                    storage = "data-uri";
                    data = ByteBuffer.wrap(b.dataUri).order(ByteOrder.LITTLE_ENDIAN);
                } else if (ctx.glb && i == 0 && !b.hasUri) {
                    storage = "glb";
                    data = glbBin;
                    b.channel = glbChannel;
                    b.channelOffset = glbOffset;
                    if (data == null) {
                        ctx.issue(GltfIssue.BUFFER_MISSING_GLB_DATA, null);
                    }
                }
            }
            Long length = null;
            if (data != null) {
                length = (long) data.capacity();
                if (data.capacity() < b.byteLength) {
                    ctx.issue(GltfIssue.BUFFER_BYTE_LENGTH_MISMATCH, null, data.capacity(), b.byteLength);
                    if (b.dataUri != null) {
                        b.data = data;
                    }
                } else {
                    if (ctx.glb && i == 0 && !b.hasUri) {
                        long padded = b.byteLength + (-b.byteLength & 3);
                        if (data.capacity() > padded) {
                            ctx.issue(GltfIssue.BUFFER_GLB_CHUNK_TOO_BIG, null, data.capacity() - padded);
                        }
                    }
                    b.data = data;
                }
            } else if (b.dataUri != null) {
                b.data = ByteBuffer.wrap(b.dataUri).order(ByteOrder.LITTLE_ENDIAN);
            }
            resources.add(new Resource(pointer, "application/gltf-buffer", storage, uri, length, null));
            ctx.pop();
        }
        ctx.clear();
    }

    void loadImages() {
        ctx.clear();
        ctx.push("images");
        for (int i = 0; i < g.images.size(); i++) {
            Image img = g.images.get(i);
            if (img == null) {
                continue;
            }
            ctx.push(i);
            String pointer = ctx.pointer(null);
            String storage = null;
            String uri = null;
            ByteBuffer data = null;
            if (img.extensions.isEmpty()) {
                if (img.uri != null) {
                    storage = "external";
                    uri = img.uri;
                    data = mapExternal(img.uri);
                } else if (img.dataUri != null) {
                    storage = "data-uri";
                    data = ByteBuffer.wrap(img.dataUri);
                } else if (img.bufferView != null) {
                    storage = "buffer-view";
                    data = bufferViewBytes(img);
                }
            }
            ImageHeaders.Info info = null;
            if (data != null) {
                try {
                    info = ImageHeaders.parse(data);
                    if (!g.imageMimeTypes().contains(info.mimeType())) {
                        ctx.issue(GltfIssue.IMAGE_NON_ENABLED_MIME_TYPE, null, info.mimeType());
                    }
                } catch (ImageHeaders.Bad e) {
                    ctx.issue(GltfIssue.valueOf("IMAGE_" + e.problem().name()), null, e.getMessage());
                }
                if (info != null) {
                    if (img.mimeType != null && !img.mimeType.equals(info.mimeType())) {
                        ctx.issue(GltfIssue.IMAGE_MIME_TYPE_INVALID, "buffer-view".equals(storage) ? "bufferView" : "uri",
                                info.mimeType(), img.mimeType);
                    }
                    if (!isPot(info.width()) || !isPot(info.height())) {
                        ctx.issue(GltfIssue.IMAGE_NPOT_DIMENSIONS, null, info.width(), info.height());
                    }
                    if (info.customColor() || info.animation() || info.nonSquarePixels()) {
                        ctx.issue(GltfIssue.IMAGE_FEATURES_UNSUPPORTED, null);
                    }
                    img.info = info;
                }
            }
            Resource.ImageInfo ri = info == null ? null : new Resource.ImageInfo((int) info.width(), (int) info.height(),
                    info.format(), info.primaries(), info.transfer(), info.bits() > 0 ? info.bits() : null);
            resources.add(new Resource(pointer, info == null ? null : info.mimeType(), storage, uri, null, ri));
            ctx.pop();
        }
        ctx.clear();
    }

    private static ByteBuffer bufferViewBytes(Image img) {
        var v = img.bufferView;
        if (v.buffer == null || v.buffer.data == null || v.byteOffset < 0 || v.byteLength < 0) {
            return null;
        }
        ByteBuffer d = v.buffer.data;
        if (Ranges.add(v.byteOffset, v.byteLength) > d.capacity()) {
            return null;
        }
        return d.slice((int) v.byteOffset, (int) v.byteLength);
    }

    private static boolean isPot(long v) {
        return v != 0 && (v & (v - 1)) == 0;
    }

    /** Textures must use PNG or JPEG sources (the core spec). */
    void validateTextures() {
        ctx.clear();
        ctx.push("textures");
        for (int i = 0; i < g.textures.size(); i++) {
            Texture t = g.textures.get(i);
            if (t == null) {
                continue;
            }
            if (t.webpSource != null) {
                String wm = t.webpSource.mimeType != null ? t.webpSource.mimeType
                        : t.webpSource.info != null ? t.webpSource.info.mimeType() : null;
                if (wm != null && !wm.equals("image/webp")) {
                    ctx.issueAt("/textures/" + i + "/extensions/EXT_texture_webp/source",
                            GltfIssue.TEXTURE_INVALID_IMAGE_MIME_TYPE, wm, List.of("image/webp"));
                }
            }
            if (t.source == null) {
                continue;
            }
            String mime = t.source.mimeType != null ? t.source.mimeType
                    : t.source.info != null ? t.source.info.mimeType() : null;
            if (mime != null && !mime.equals("image/jpeg") && !mime.equals("image/png")) {
                ctx.push(i);
                ctx.issue(GltfIssue.TEXTURE_INVALID_IMAGE_MIME_TYPE, "source", mime, List.of("image/jpeg", "image/png"));
                ctx.pop();
            }
        }
        ctx.clear();
    }
}
