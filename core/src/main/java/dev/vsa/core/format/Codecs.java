package dev.vsa.core.format;

import dev.vsa.core.error.ErrorCode;
import dev.vsa.core.error.MalformedInputException;
import dev.vsa.core.format.ksplat.KsplatCodec;
import dev.vsa.core.format.ply.CompressedPlyCodec;
import dev.vsa.core.format.ply.PlyCodec;
import dev.vsa.core.format.splatfile.SplatFileCodec;
import dev.vsa.core.format.khr.KhrCodec;
import dev.vsa.core.format.sog.SogCodec;
import dev.vsa.core.format.spz.SpzCodec;
import dev.vsa.core.splat.SplatFormat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/** The registry of splat codecs, and detection by content. */
public final class Codecs {
    /** Bytes read from the start of a file to recognise it. */
    public static final int SNIFF_BYTES = 4096;

    /** Every built-in codec, in the order detection asks them. Add a new format's codec here. */
    private static final List<SplatCodec> ALL = List.of(
            new CompressedPlyCodec(), // before PlyCodec: both start with "ply"
            new PlyCodec(),
            new SplatFileCodec(),
            new SpzCodec(),
            new KhrCodec(SplatFormat.GLB),
            new KhrCodec(SplatFormat.GLTF),
            new KhrCodec(SplatFormat.GLB_SPZ),
            new KsplatCodec(),
            new SogCodec(),
            new dev.vsa.core.format.sog.LodCodec(),
            new dev.vsa.core.format.csv.CsvCodec());

    private Codecs() {
    }

    /** All registered codecs. */
    public static List<SplatCodec> all() {
        return ALL;
    }

    /**
     * The codec for a format.
     *
     * @throws UnsupportedOperationException if none is registered
     */
    public static SplatCodec forFormat(SplatFormat format) {
        for (SplatCodec c : all()) {
            if (c.format() == format) {
                return c;
            }
        }
        throw new UnsupportedOperationException("no codec for " + format.id() + " yet");
    }

    /**
     * Finds the codec for a file: one that recognises its content wins over one that only likes its name.
     *
     * @throws MalformedInputException {@code EMPTY_FILE} or {@code UNKNOWN_FORMAT}
     */
    public static SplatCodec detect(Path path) throws IOException {
        long size = Files.size(path);
        if (size == 0) {
            throw new MalformedInputException(ErrorCode.EMPTY_FILE, null, path.getFileName() + " is empty");
        }
        ByteBuffer head = ByteBuffer.allocate((int) Math.min(SNIFF_BYTES, size));
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            while (head.hasRemaining() && ch.read(head) >= 0) {
                // fill what the file has
            }
        }
        head.flip();
        String name = path.getFileName().toString();
        SplatCodec byName = null;
        for (SplatCodec c : all()) {
            SplatCodec.Match m = c.sniff(head.duplicate(), size, name);
            if (m == SplatCodec.Match.BY_CONTENT) {
                return c;
            }
            if (m == SplatCodec.Match.BY_NAME && byName == null) {
                byName = c;
            }
        }
        if (byName != null) {
            return byName;
        }
        throw new MalformedInputException(ErrorCode.UNKNOWN_FORMAT, null,
                name + " is not a splat format vsa reads (PLY, compressed PLY, .splat, .spz, .ksplat, .sog, lod-meta.json, glTF/GLB with KHR_gaussian_splatting)");
    }
}
