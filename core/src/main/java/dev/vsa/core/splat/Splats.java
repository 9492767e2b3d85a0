package dev.vsa.core.splat;

import dev.vsa.core.format.Codecs;
import dev.vsa.core.format.PlyRows;
import dev.vsa.core.format.util.PendingFiles;
import dev.vsa.core.progress.ProgressListener;
import dev.vsa.core.transform.Transform;
import dev.vsa.core.transform.Transforms;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
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
     * What a splat file declares (count, SH layout, bytes of its input files), its headers checked against the file
     * as {@link #open} checks them, without decoding its data: to bound the work a file asks for before doing it.
     * For most formats the same as {@code open(path).info()}; a SOG's images are not decoded.
     *
     * @throws dev.vsa.core.error.MalformedInputException if the file is not a readable splat file
     * @throws IOException if the file cannot be read
     */
    public static SplatFileInfo declared(Path path) throws IOException {
        return Codecs.detect(path).declared(path);
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
        return convert(() -> open(in), out, options, progress);
    }

    /**
     * Whether a conversion passes the rows of {@code source} straight into a PLY's row layout (see {@link PlyRows}),
     * to a PLY or GLB writer that takes them so.
     */
    private static boolean direct(SplatReader source, List<Transform> steps, SplatFormat to) {
        return steps.isEmpty() && (to == SplatFormat.PLY || to == SplatFormat.GLB) && source instanceof PlyRows;
    }

    /** Opens the rows a conversion reads (e.g. chosen levels of a LOD set); the conversion closes the reader. */
    @FunctionalInterface
    public interface Source {
        /**
         * @throws IOException if the input cannot be read
         */
        SplatReader open() throws IOException;
    }

    /**
     * {@link #convert(Path, Path, ConvertOptions, ProgressListener)} from rows a caller opens, such as
     * {@code () -> LodSets.open(set, List.of(0, 2))}.
     *
     * @throws dev.vsa.core.error.MalformedInputException if the input is bad
     * @throws IllegalArgumentException if no output format is given and {@code out}'s name names none, or that
     *                                  format cannot be written
     * @throws IOException if a file cannot be read or written
     */
    public static ConvertResult convert(Source in, Path out, ConvertOptions options, ProgressListener progress)
            throws IOException {
        SplatFormat format = options.to() != null ? options.to()
                : SplatFormat.byFileName(out.getFileName().toString()).orElseThrow(() -> new IllegalArgumentException(
                        "cannot tell the output format from the name '" + out.getFileName() + "'; give it explicitly"));
        if (!format.writable()) {
            throw new IllegalArgumentException(format.id() + " can be read but not written");
        }
        List<Transform> steps = new ArrayList<>(options.transforms());
        boolean sorted = steps.stream().anyMatch(t -> t instanceof Transform.MortonSort);
        // Compressed PLY orders its compact rows itself (in memory when they fit, on all cores); a sort step
        // would spill every whole row first. It sorts when the steps end with a sort or hold none.
        boolean writerSorts = format == SplatFormat.COMPRESSED_PLY
                && (!sorted || steps.getLast() instanceof Transform.MortonSort);
        if (writerSorts && sorted) {
            steps.removeLast();
        }
        if (format == SplatFormat.KSPLAT && options.write().ksplatLevel() > 0 && !sorted) {
            steps.add(new Transform.MortonSort());
        }
        Path dir = out.toAbsolutePath().getParent();
        if (format == SplatFormat.SOG && out.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".json")
                && !Files.exists(dir)) {
            // an unbundled SOG is a folder of files (meta.json and its images), named by the user as a LOD set's
            // is: made like the LOD writer makes its folders, not refused as a single file's missing folder is
            Files.createDirectories(dir);
        }
        if (!Files.isDirectory(dir)) {
            // named here: otherwise the error would name the hidden temporary file inside it
            throw new NoSuchFileException(dir.toString(), null, "no such folder");
        }
        ProgressListener listener = progress == null ? ProgressListener.NONE : progress;
        // Not Files.createTempFile: that makes the file owner-only (0600); the output should get the usual mode.
        String tag = ".vsa-" + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong()) + "-"
                + out.getFileName();
        // A .gltf is written with its final name into a hidden folder beside the output, so its buffer's URI names
        // the final x.bin; both move out on success (the .bin first). Other formats are one hidden file.
        boolean gltf = format == SplatFormat.GLTF;
        Path temp = gltf ? dir.resolve(tag + ".d").resolve(out.getFileName()) : dir.resolve(tag);
        Path pendingPath = gltf ? temp.getParent() : temp;
        try (PendingFiles.Pending pending = PendingFiles.register(pendingPath);
             SplatReader source = in.open();
             // the input is parsed on a second core while this thread encodes and writes; rows that go straight
             // into PLY's layout are computed here and written on a second core instead
             PrefetchReader ahead = direct(source, steps, format) ? null : new PrefetchReader(source)) {
            if (gltf) {
                Files.createDirectory(pendingPath);
            }
            SplatFileInfo input = source.info();
            CountingReader counted = new CountingReader(ahead != null ? ahead : source, listener);
            // With no transform the header's count is the output's: writers may lay their file out ahead.
            WriteOptions write = (steps.isEmpty() && input.count() >= 0
                    ? options.write().withExpectedCount(input.count()) : options.write()).withMortonOrder(writerSorts);
            // after a frame step the rows are in its target frame: a format that declares one says so
            for (Transform t : steps) {
                if (t instanceof Transform.Frame f) {
                    write = write.withFrame(f.to());
                }
            }
            long written = 0;
            long read;
            SplatLayout writtenLayout;
            try (SplatReader rows = Transforms.apply(counted, steps, dir);
                 SplatWriter writer = create(temp, format, rows.info().layout(), write)) {
                writtenLayout = rows.info().layout();
                if (ahead == null && writer instanceof PlyRows.Sink sink) {
                    long total = input.count();
                    sink.writeAll((PlyRows) source, total, done -> listener.progress(done, total));
                    written = total;
                    read = total;
                } else {
                    SplatBatch batch = new SplatBatch(rows.info().layout(), SplatBatch.capacityFor(rows.info().count()));
                    int n;
                    while ((n = rows.read(batch)) > 0) {
                        writer.write(batch);
                        written += n;
                    }
                    read = counted.rows();
                }
                writer.finish();
            }
            long bytes = 0;
            if (gltf) {
                List<Path> parts;
                try (java.util.stream.Stream<Path> s = Files.list(pendingPath)) {
                    parts = new ArrayList<>(s.filter(p -> !p.equals(temp)).sorted().toList());
                }
                parts.add(temp); // the JSON that names the others goes last
                for (Path part : parts) {
                    bytes += Files.size(part);
                    PendingFiles.moveIntoPlace(part, dir.resolve(part.getFileName().toString()));
                }
            } else {
                bytes = Files.size(temp);
                PendingFiles.moveIntoPlace(temp, out);
            }
            return new ConvertResult(input, format, read, written, bytes,
                    Math.min(writtenLayout.shDegree(), format.maxShDegree()),
                    ConvertResult.lossesOf(input.format(), writtenLayout, format));
        } finally {
            PendingFiles.deleteTree(pendingPath);
        }
    }
}
