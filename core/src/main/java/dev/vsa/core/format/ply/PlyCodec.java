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

/** The 3DGS PLY codec: reads ascii and binary PLY, writes binary little-endian. */
public final class PlyCodec implements SplatCodec {
    /** Creates the codec (stateless). */
    public PlyCodec() {
    }

    @Override
    public SplatFormat format() {
        return SplatFormat.PLY;
    }

    @Override
    public Match sniff(ByteBuffer head, long fileSize, String fileName) {
        if (!PlyHeader.looksLikePly(head)) {
            return Match.NO;
        }
        // Anything starting with "ply" is ours unless it is a PlayCanvas compressed PLY: a bad PLY then gets
        // a PLY error code rather than UNKNOWN_FORMAT.
        return CompressedPlyCodec.isCompressed(head) ? Match.NO : Match.BY_CONTENT;
    }

    @Override
    public SplatReader openReader(Path path) throws IOException {
        return PlyReader.open(path);
    }

    @Override
    public SplatWriter openWriter(Path path, SplatLayout layout, WriteOptions options) throws IOException {
        return new PlyWriter(path, layout);
    }
}
