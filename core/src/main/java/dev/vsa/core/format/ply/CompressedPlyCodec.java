package dev.vsa.core.format.ply;

import dev.vsa.core.format.SplatCodec;
import dev.vsa.core.splat.SplatFormat;
import dev.vsa.core.splat.SplatLayout;
import dev.vsa.core.splat.SplatReader;
import dev.vsa.core.splat.SplatWriter;
import dev.vsa.core.splat.WriteOptions;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/** The PlayCanvas compressed PLY codec (see {@link CompressedPly} for the layout and its sources). */
public final class CompressedPlyCodec implements SplatCodec {
    /** Creates the codec (stateless). */
    public CompressedPlyCodec() {
    }

    @Override
    public SplatFormat format() {
        return SplatFormat.COMPRESSED_PLY;
    }

    /** Whether a PLY head declares a {@code chunk} element and packed vertex properties. */
    static boolean isCompressed(ByteBuffer head) {
        if (!PlyHeader.looksLikePly(head)) {
            return false;
        }
        String text = PlyHeader.headerText(head);
        return text != null && text.contains("\nelement chunk ") && text.contains(" packed_position");
    }

    @Override
    public Match sniff(ByteBuffer head, long fileSize, String fileName) {
        return isCompressed(head) ? Match.BY_CONTENT : Match.NO;
    }

    @Override
    public SplatReader openReader(Path path) throws IOException {
        return CompressedPlyReader.open(path);
    }

    @Override
    public SplatWriter openWriter(Path path, SplatLayout layout, WriteOptions options) throws IOException {
        return new CompressedPlyWriter(path, layout, options.mortonOrder());
    }
}
