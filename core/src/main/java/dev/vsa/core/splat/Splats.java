package dev.vsa.core.splat;

import dev.vsa.core.format.Codecs;
import dev.vsa.core.progress.ProgressListener;
import dev.vsa.core.transform.Transform;
import dev.vsa.core.transform.Transforms;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

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

    /**
     * Converts a splat file: reads {@code in} (format by content), applies the options' transforms in order
     * and writes {@code out}. The output is written to a temporary file beside {@code out} and moved into place
     * only on success, so a failed conversion leaves no partial file (and an existing {@code out} untouched).
     * Memory stays bounded whatever the file size; sorting spills rows to a temporary file beside {@code out}.
     *
     * <pre>{@code
     * ConvertResult r = Splats.convert(Path.of("in.ply"), Path.of("out.spz"),
     *         ConvertOptions.DEFAULTS.withTransforms(List.of(Transform.parse("filter-nan"))), ProgressListener.NONE);
     * }</pre>
     *
     * @param progress told splats read so far and the input's count
     * @throws dev.vsa.core.error.MalformedInputException if the input is bad
     * @throws IllegalArgumentException if no output format is given and {@code out}'s name names none, or that
     *                                  format cannot be written
     * @throws IOException if a file cannot be read or written
     */
    public static ConvertResult convert(Path in, Path out, ConvertOptions options, ProgressListener progress)
            throws IOException {
        SplatFormat format = options.to() != null ? options.to()
                : SplatFormat.byFileName(out.getFileName().toString()).orElseThrow(() -> new IllegalArgumentException(
                        "cannot tell the output format from the name '" + out.getFileName() + "'; give it explicitly"));
        if (!format.writable()) {
            throw new IllegalArgumentException(format.id() + " can be read but not written");
        }
        List<Transform> steps = new ArrayList<>(options.transforms());
        if (format == SplatFormat.COMPRESSED_PLY && steps.stream().noneMatch(t -> t instanceof Transform.MortonSort)) {
            steps.add(new Transform.MortonSort());
        }
        Path dir = out.toAbsolutePath().getParent();
        ProgressListener listener = progress == null ? ProgressListener.NONE : progress;
        // Not Files.createTempFile: that makes the file owner-only (0600); the output should get the usual mode.
        Path temp = dir.resolve(".vsa-" + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong())
                + "-" + out.getFileName());
        try (SplatReader source = open(in)) {
            SplatFileInfo input = source.info();
            CountingReader counted = new CountingReader(source, listener);
            // With no transform the header's count is the output's: writers may lay their file out ahead.
            WriteOptions write = steps.isEmpty() && input.count() >= 0
                    ? options.write().withExpectedCount(input.count()) : options.write();
            long written = 0;
            try (SplatReader rows = Transforms.apply(counted, steps, dir);
                 SplatWriter writer = create(temp, format, rows.info().layout(), write)) {
                SplatBatch batch = new SplatBatch(rows.info().layout(), SplatBatch.DEFAULT_CAPACITY);
                int n;
                while ((n = rows.read(batch)) > 0) {
                    writer.write(batch);
                    written += n;
                }
                writer.finish();
            }
            long bytes = Files.size(temp);
            try {
                Files.move(temp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, out, StandardCopyOption.REPLACE_EXISTING);
            }
            return new ConvertResult(input, format, counted.rows(), written, bytes);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
