package dev.vsa.core.format;

import dev.vsa.core.splat.SplatFileInfo;
import dev.vsa.core.splat.SplatFormat;
import dev.vsa.core.splat.SplatLayout;
import dev.vsa.core.splat.SplatReader;
import dev.vsa.core.splat.SplatWriter;
import dev.vsa.core.splat.WriteOptions;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/** One format's reader and writer. Internal: the public entry point is {@link dev.vsa.core.splat.Splats}. */
public interface SplatCodec {
    /** How sure a codec is that a file is its format. */
    enum Match { NO, BY_NAME, BY_CONTENT }

    SplatFormat format();

    /**
     * Whether the file is this codec's format.
     *
     * @param head     the first bytes of the file (up to 4 KiB; fewer for a short file), position 0
     * @param fileSize the whole file's size
     * @param fileName the file's name, for formats without a magic number
     */
    Match sniff(ByteBuffer head, long fileSize, String fileName);

    /** Opens a reader; the header is parsed and checked here. */
    SplatReader openReader(Path path) throws IOException;

    /**
     * What the file declares (count, layout, input bytes), its headers checked as {@link #openReader} checks them,
     * without decoding its data. A codec whose reader decodes at open (SOG) overrides this.
     */
    default SplatFileInfo declared(Path path) throws IOException {
        try (SplatReader r = openReader(path)) {
            return r.info();
        }
    }

    /**
     * Opens a writer.
     *
     * @throws UnsupportedOperationException if the format is read-only
     */
    SplatWriter openWriter(Path path, SplatLayout layout, WriteOptions options) throws IOException;
}
