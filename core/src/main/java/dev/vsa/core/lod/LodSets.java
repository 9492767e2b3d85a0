package dev.vsa.core.lod;

import dev.vsa.core.format.sog.LodCodec;
import dev.vsa.core.progress.ProgressListener;
import dev.vsa.core.splat.SplatBatch;
import dev.vsa.core.splat.SplatReader;
import dev.vsa.core.splat.Splats;
import dev.vsa.core.transform.Transform;
import dev.vsa.core.transform.Transforms;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Streamed SOG (PlayCanvas LOD sets, {@code lod-meta.json}): describe, read chosen levels, write from one input
 * (levels made by simplification) or from several inputs each tagged with its level, as splat-transform's
 * {@code --tag-lod} does. {@link Splats#open} reads a set's finest level (level 0, as splat-transform does), {@link Splats#convert} to a
 * {@code lod-meta.json} writes one with {@link LodOptions#DEFAULTS}.
 *
 * <pre>{@code
 * LodSetInfo info = LodSets.describe(Path.of("scene/lod-meta.json"));
 * try (SplatReader coarse = LodSets.open(Path.of("scene/lod-meta.json"), List.of(-1))) { ... }
 * LodSets.write(List.of(new LodSets.Input(Path.of("scene.ply"), 0)), Path.of("out/lod-meta.json"),
 *         LodOptions.DEFAULTS.withLevels(4), List.of(), ProgressListener.NONE);
 * }</pre>
 */
public final class LodSets {
    private LodSets() {
    }

    /**
     * One input of {@link #write}.
     *
     * @param path  a splat file of any readable format
     * @param level its level tag, or -1 for none (only allowed when it is the only input: levels are then made)
     */
    public record Input(Path path, int level) {
    }

    /**
     * What {@link #write} wrote.
     *
     * @param counts splats per level
     * @param files  SOG units
     * @param chunks leaves of the tree
     * @param bytes  bytes of lod-meta.json and the units
     */
    public record Result(List<Long> counts, int files, int chunks, long bytes) {
    }

    /**
     * What a {@code lod-meta.json} says (levels, files, chunks with bounds), without decoding a unit.
     *
     * @throws dev.vsa.core.error.MalformedInputException {@code SOG_BAD_META}, {@code UNSUPPORTED_FEATURE} or
     *                                                    {@code LIMIT_EXCEEDED} if it is not a readable set
     * @throws IOException if it cannot be read
     */
    public static LodSetInfo describe(Path lodMeta) throws IOException {
        return LodCodec.describe(lodMeta);
    }

    /**
     * Reads the given levels (all when empty; -1 is the coarsest) in the order given, each level's units in
     * lod-meta.json's order.
     *
     * @throws IllegalArgumentException if a level is not in the set
     * @throws dev.vsa.core.error.MalformedInputException if the set or a unit is bad
     * @throws IOException if a file cannot be read
     */
    public static SplatReader open(Path lodMeta, List<Integer> levels) throws IOException {
        return LodCodec.open(lodMeta, levels);
    }

    /**
     * Writes a set at {@code lodMeta} (units in folders beside it). With one untagged input its levels are made
     * by simplification (see {@code docs/sog.md}); with tagged inputs the levels are the tags, ascending (inputs
     * of one tag are concatenated). {@code transforms} apply to every input. Memory: 20 bytes a splat plus one
     * unit; rows wait in a temporary file beside the output.
     *
     * @throws IllegalArgumentException if there are no inputs, or several and one is untagged
     * @throws dev.vsa.core.error.MalformedInputException if an input is bad or has non-finite positions
     * @throws IOException if a file cannot be read or written
     */
    public static Result write(List<Input> inputs, Path lodMeta, LodOptions options, List<Transform> transforms,
                               ProgressListener progress) throws IOException {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("a LOD set needs at least one input");
        }
        boolean tagged = inputs.size() > 1 || inputs.get(0).level() >= 0;
        for (Input in : inputs) {
            if (tagged && in.level() < 0) {
                throw new IllegalArgumentException("with several inputs each needs a level: " + in.path() + " has none");
            }
        }
        Path dir = lodMeta.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
        }
        ProgressListener listener = progress == null ? ProgressListener.NONE : progress;
        List<SplatReader> readers = new ArrayList<>();
        try {
            int degree = 0;
            long total = 0;
            for (Input in : inputs) {
                if (!Files.exists(in.path())) {
                    throw new NoSuchFileException(in.path().toString());
                }
                SplatReader r = Transforms.apply(Splats.open(in.path()), transforms, dir);
                readers.add(r);
                degree = Math.max(degree, r.info().layout().shDegree());
                total += Math.max(0, r.info().count());
            }
            try (LodCodec.Tagged w = LodCodec.writer(lodMeta, degree, options)) {
                long done = 0;
                for (int i = 0; i < inputs.size(); i++) {
                    if (tagged) {
                        w.level(inputs.get(i).level());
                    }
                    SplatReader r = readers.get(i);
                    SplatBatch batch = new SplatBatch(r.info().layout(), SplatBatch.DEFAULT_CAPACITY);
                    int n;
                    while ((n = r.read(batch)) > 0) {
                        w.append(batch);
                        done += n;
                        listener.progress(done, total);
                    }
                }
                long[] counts = w.finish();
                List<Long> list = new ArrayList<>();
                for (long c : counts) {
                    list.add(c);
                }
                return new Result(list, w.files(), w.chunks(), bytes(lodMeta));
            }
        } finally {
            for (SplatReader r : readers) {
                r.close();
            }
        }
    }

    /** lod-meta.json and the files of the units it names. */
    private static long bytes(Path lodMeta) throws IOException {
        long total = Files.size(lodMeta);
        Path dir = lodMeta.toAbsolutePath().getParent();
        for (LodSetInfo.File f : describe(lodMeta).files()) {
            Path unit = dir.resolve(f.path()).getParent();
            try (var s = Files.list(unit)) {
                for (Path p : (Iterable<Path>) s::iterator) {
                    total += Files.size(p);
                }
            }
        }
        return total;
    }
}
