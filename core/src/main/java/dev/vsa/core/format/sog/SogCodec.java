package dev.vsa.core.format.sog;

import dev.vsa.core.format.SplatCodec;
import dev.vsa.core.splat.SplatFileInfo;
import dev.vsa.core.splat.SplatFormat;
import dev.vsa.core.splat.SplatLayout;
import dev.vsa.core.splat.SplatReader;
import dev.vsa.core.splat.SplatWriter;
import dev.vsa.core.splat.WriteOptions;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

/**
 * PlayCanvas SOG: a {@code .sog} zip, or an unbundled {@code meta.json} with its WebP images beside it
 * (layout in {@link SogMeta}, {@link SogReader}, {@link SogWriter}). Needs the optional WebP library.
 */
public final class SogCodec implements SplatCodec {
    /** Creates the codec (stateless). */
    public SogCodec() {
    }

    @Override
    public SplatFormat format() {
        return SplatFormat.SOG;
    }

    @Override
    public Match sniff(ByteBuffer head, long fileSize, String fileName) {
        String name = fileName.toLowerCase(Locale.ROOT);
        int p = head.position();
        if (head.remaining() >= 4 && head.get(p) == 'P' && head.get(p + 1) == 'K' && head.get(p + 2) == 3
                && head.get(p + 3) == 4) {
            return name.endsWith(".sog") || contains(head, "meta.json") ? Match.BY_CONTENT : Match.NO;
        }
        if (name.endsWith(".json") && !name.endsWith("lod-meta.json") && contains(head, "\"means\"")) {
            return Match.BY_CONTENT;
        }
        return name.endsWith(".sog") ? Match.BY_NAME : Match.NO;
    }

    private static boolean contains(ByteBuffer head, String text) {
        byte[] b = new byte[head.remaining()];
        head.duplicate().get(b);
        return new String(b, StandardCharsets.ISO_8859_1).contains(text);
    }

    @Override
    public SplatReader openReader(Path path) throws IOException {
        return SogReader.open(path);
    }

    @Override
    public SplatFileInfo declared(Path path) throws IOException {
        return SogReader.declared(path);
    }

    @Override
    public SplatWriter openWriter(Path path, SplatLayout layout, WriteOptions options) {
        return new SogWriter(path, layout, options.expectedCount());
    }
}
