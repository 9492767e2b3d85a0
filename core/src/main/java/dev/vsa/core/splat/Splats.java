package dev.vsa.core.splat;

import dev.vsa.core.format.Codecs;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Entry point for splat files: open a reader (format found by content), create a writer.
 *
 * <pre>{@code
 * try (SplatReader in = Splats.open(Path.of("scene.ply"));
 *      SplatWriter out = Splats.create(Path.of("scene.spz"), SplatFormat.SPZ, in.info().layout(), WriteOptions.DEFAULTS)) {
 *     SplatBatch batch = new SplatBatch(in.info().layout(), SplatBatch.DEFAULT_CAPACITY);
 *     while (in.read(batch) > 0) {
 *         out.write(batch);
 *     }
 *     out.finish();
 * }
 * }</pre>
 */
public final class Splats {
    private Splats() {
    }

    /**
     * The format of a file, by its content (and its name only for formats with no magic number).
     *
     * @throws dev.vsa.core.error.MalformedInputException {@code EMPTY_FILE} or {@code UNKNOWN_FORMAT}
     * @throws IOException if the file cannot be read
     */
    public static SplatFormat detect(Path path) throws IOException {
        return Codecs.detect(path).format();
    }

    /**
     * Opens a splat file for reading; its header is parsed and checked against the file's length.
     *
     * @throws dev.vsa.core.error.MalformedInputException if the file is not a readable splat file
     * @throws IOException if the file cannot be read
     */
    public static SplatReader open(Path path) throws IOException {
        return Codecs.detect(path).openReader(path);
    }

    /**
     * Creates (or replaces) a splat file of the given format.
     *
     * @throws IllegalArgumentException if the format cannot be written
     * @throws IOException if the file cannot be created
     */
    public static SplatWriter create(Path path, SplatFormat format, SplatLayout layout, WriteOptions options)
            throws IOException {
        if (!format.writable()) {
            throw new IllegalArgumentException(format.id() + " can be read but not written");
        }
        return Codecs.forFormat(format).openWriter(path, layout, options);
    }
}
