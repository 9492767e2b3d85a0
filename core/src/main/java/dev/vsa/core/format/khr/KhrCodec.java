package dev.vsa.core.format.khr;

import dev.vsa.core.format.SplatCodec;
import dev.vsa.core.gltf.resource.Glb;
import dev.vsa.core.splat.SplatFormat;
import dev.vsa.core.splat.SplatLayout;
import dev.vsa.core.splat.SplatReader;
import dev.vsa.core.splat.SplatWriter;
import dev.vsa.core.splat.WriteOptions;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

/**
 * glTF 2.0 with {@code KHR_gaussian_splatting} (ratified text, KhronosGroup/glTF commit 77b44be7), as GLB or as
 * .gltf (buffers embedded as data URIs or in files beside it). Registered in {@link dev.vsa.core.format.Codecs}
 * once per container; use {@link dev.vsa.core.splat.Splats} rather than this class.
 */
public final class KhrCodec implements SplatCodec {
    private final SplatFormat format;

    /**
     * @param format {@link SplatFormat#GLB} or {@link SplatFormat#GLTF}
     * @throws IllegalArgumentException for another format
     */
    public KhrCodec(SplatFormat format) {
        if (format != SplatFormat.GLB && format != SplatFormat.GLTF && format != SplatFormat.GLB_SPZ) {
            throw new IllegalArgumentException("KhrCodec handles glb and gltf, not " + format.id());
        }
        this.format = format;
    }

    @Override
    public SplatFormat format() {
        return format;
    }

    /**
     * GLB: {@code BY_CONTENT} when the file starts with the GLB magic. glTF: {@code BY_CONTENT} when the text starts
     * with '{' and names {@code KHR_gaussian_splatting} in its first bytes, {@code BY_NAME} for {@code *.gltf}.
     */
    @Override
    public Match sniff(ByteBuffer head, long fileSize, String fileName) {
        if (format == SplatFormat.GLB_SPZ) {
            return Match.NO; // read as GLB: the GLB reader handles SPZ-compressed primitives
        }
        ByteBuffer h = head.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        String name = fileName.toLowerCase(Locale.ROOT);
        if (format == SplatFormat.GLB) {
            if (Glb.hasMagic(h)) {
                return Match.BY_CONTENT;
            }
            return name.endsWith(".glb") ? Match.BY_NAME : Match.NO;
        }
        byte[] bytes = new byte[h.remaining()];
        h.get(bytes);
        String text = new String(bytes, StandardCharsets.UTF_8).stripLeading();
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1).stripLeading();
        }
        if (text.startsWith("{") && text.contains("\"" + KhrReader.EXT)) {
            return Match.BY_CONTENT;
        }
        return name.endsWith(".gltf") ? Match.BY_NAME : Match.NO;
    }

    @Override
    public SplatReader openReader(Path path) throws IOException {
        return KhrReader.open(path);
    }

    /** Writes one splat primitive; for .gltf the buffer goes to {@code <name>.bin} beside the file. */
    @Override
    public SplatWriter openWriter(Path path, SplatLayout layout, WriteOptions options) throws IOException {
        if (format == SplatFormat.GLB_SPZ) {
            return new KhrSpzWriter(path, layout);
        }
        return new KhrWriter(path, layout, format == SplatFormat.GLB, options == null ? -1 : options.expectedCount());
    }
}
