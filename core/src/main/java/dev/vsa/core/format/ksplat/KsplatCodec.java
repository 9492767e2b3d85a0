package dev.vsa.core.format.ksplat;

import dev.vsa.core.format.SplatCodec;
import dev.vsa.core.splat.SplatFormat;
import dev.vsa.core.splat.SplatLayout;
import dev.vsa.core.splat.SplatReader;
import dev.vsa.core.splat.SplatWriter;
import dev.vsa.core.splat.WriteOptions;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Locale;

/** mkkellogg GaussianSplats3D {@code .ksplat}: read ({@link KsplatReader}, which describes the layout) and written
 * at compression level 0, 1 or 2 ({@link KsplatWriter}). */
public final class KsplatCodec implements SplatCodec {
    /** Creates the codec (stateless). */
    public KsplatCodec() {
    }

    @Override
    public SplatFormat format() {
        return SplatFormat.KSPLAT;
    }

    @Override
    public Match sniff(ByteBuffer head, long fileSize, String fileName) {
        // No magic number: the name decides, and a plausible header (version 0.x, level 0-2) confirms it.
        if (!fileName.toLowerCase(Locale.ROOT).endsWith(".ksplat")) {
            return Match.NO;
        }
        if (head.remaining() >= 24) {
            ByteBuffer h = head.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            int p = h.position();
            if (h.get(p) == 0 && h.get(p + 1) >= 1 && (h.getShort(p + 20) & 0xFFFF) <= 2) {
                return Match.BY_CONTENT;
            }
        }
        return Match.BY_NAME;
    }

    @Override
    public SplatReader openReader(Path path) throws IOException {
        return KsplatReader.open(path);
    }

    @Override
    public SplatWriter openWriter(Path path, SplatLayout layout, WriteOptions options) throws IOException {
        return new KsplatWriter(path, layout, options.ksplatLevel());
    }
}
