package dev.vsa.cli.commands;

import dev.vsa.core.lod.LodOptions;
import dev.vsa.core.lod.LodSets;
import dev.vsa.core.progress.ProgressListener;
import dev.vsa.core.scene.SceneKind;
import dev.vsa.core.splat.ConvertOptions;
import dev.vsa.core.splat.ConvertResult;
import dev.vsa.core.splat.SplatFormat;
import dev.vsa.core.splat.Splats;
import dev.vsa.core.splat.WriteOptions;
import dev.vsa.core.transform.Transform;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The streamed-SOG (LOD set, {@code lod-meta.json}) options of {@code convert}: which levels to read from a set,
 * and how to build one.
 */
public final class LodMixin {
    /** Footer lines for the help, one string (picocli's %n line breaks). */
    static final String HELP_TEXT = "LOD sets (streamed SOG, lod-meta.json; the PlayCanvas engine streams them):%n"
            + "  vsa convert scene.ply out/lod-meta.json                      (levels made by simplification)%n"
            + "  vsa convert scene.ply out/lod-meta.json --lod-levels 5 --lod-keep 0.4 --lod-chunk-count 256%n"
            + "  vsa convert fine.ply out/lod-meta.json --lod-input 1=mid.ply --lod-input 2=coarse.spz   (levels given)%n"
            + "  vsa convert out/lod-meta.json coarse.ply --lod -1            (the coarsest level as one file)%n"
            + "  A set read as one scene is its finest level (level 0), as splat-transform reads it; --lod 0,2 or%n"
            + "  --lod all concatenates levels. Level k of a generated set keeps keep^k of the splats, the most opaque%n"
            + "  and largest of each small region, enlarged to cover what was dropped (docs/sog.md).";

    @Option(names = "--lod", paramLabel = "LEVELS", split = ",",
            description = "With a lod-meta.json input: the levels to read, comma-separated (0 is the finest, -1 the "
                    + "coarsest) or 'all'; several are written one after another. Default: 0.")
    List<String> read;

    @Option(names = "--lod-levels", paramLabel = "N", defaultValue = "0",
            description = "Writing lod-meta.json from one input: levels to make (1-16); 0 halves until a level "
                    + "holds at most 32768 splats (at most 8 levels). Default: ${DEFAULT-VALUE}.")
    int levels;

    @Option(names = "--lod-keep", paramLabel = "F", defaultValue = "0.5",
            description = "Writing lod-meta.json from one input: the fraction of the level above each level keeps "
                    + "(0-1). Default: ${DEFAULT-VALUE}.")
    double keep;

    @Option(names = "--lod-chunk-count", paramLabel = "K", defaultValue = "512",
            description = "Writing lod-meta.json: a chunk (the unit of streaming) holds at most about K thousand "
                    + "(x1024) splats, as splat-transform's option. Default: ${DEFAULT-VALUE}.")
    double chunkCount;

    @Option(names = "--lod-chunk-extent", paramLabel = "M", defaultValue = "16",
            description = "Writing lod-meta.json: a chunk wider than M scene units is split... Default: ${DEFAULT-VALUE}.")
    double chunkExtent;

    @Option(names = "--lod-chunk-min", paramLabel = "K", defaultValue = "8",
            description = "...unless it holds at most K thousand (x1024) splats. Default: ${DEFAULT-VALUE}.")
    double chunkMin;

    @Option(names = "--lod-file-count", paramLabel = "K",
            description = "Writing lod-meta.json: splats per SOG file in thousands (x1024); a file closes once it "
                    + "passes this. Default: the chunk count. On a small heap both are lowered until a file fits.")
    Double fileCount;

    @Option(names = "--lod-input", paramLabel = "LEVEL=FILE",
            description = "Writing lod-meta.json from several inputs: FILE holds level LEVEL (IN is level 0); repeat "
                    + "it. Levels are then these tags in ascending order and none are made.")
    List<String> inputs = new ArrayList<>();

    /** After writing a set: its levels, files and chunks in one line; else null. */
    String summary;

    /** Whether this conversion reads chosen levels or writes a set (else it is an ordinary conversion). */
    boolean applies(SplatFormat target) {
        return target == SplatFormat.LOD || read != null || !inputs.isEmpty();
    }

    /** The levels {@code --lod} names: empty for all. */
    List<Integer> levelsToRead() {
        if (read == null) {
            return List.of(0);
        }
        List<Integer> out = new ArrayList<>();
        for (String s : read) {
            if (s.trim().equalsIgnoreCase("all")) {
                return List.of();
            }
            try {
                out.add(Integer.parseInt(s.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--lod takes levels such as 0,2 or -1, or 'all'; '" + s
                        + "' is not one");
            }
        }
        return out;
    }

    LodOptions options() {
        return new LodOptions(levels, keep, thousands(chunkCount, "--lod-chunk-count"), chunkExtent,
                (int) Math.round(chunkMin * 1024), fileCount == null ? 0 : thousands(fileCount, "--lod-file-count"));
    }

    private static int thousands(double k, String name) {
        if (!(k > 0) || k * 1024 > Integer.MAX_VALUE / 2) {
            throw new IllegalArgumentException(name + " must be a positive number of thousands, was " + k);
        }
        return (int) Math.round(k * 1024);
    }

    /** Reads chosen levels of a set into any format, or writes a set. */
    Conversions.Result convert(Path in, Path out, SplatFormat target, WriteOptions write, List<Transform> transforms,
                               ProgressListener progress) throws IOException {
        if (target == SplatFormat.LOD) {
            if (read != null) {
                throw new IllegalArgumentException("--lod picks levels to read from a set; to write a set from "
                        + "a set's levels convert them to a file first");
            }
            List<LodSets.Input> all = new ArrayList<>();
            all.add(new LodSets.Input(in, inputs.isEmpty() ? -1 : 0));
            for (String spec : inputs) {
                int eq = spec.indexOf('=');
                int level;
                try {
                    level = Integer.parseInt(spec.substring(0, Math.max(0, eq)).trim());
                } catch (NumberFormatException e) {
                    level = -1;
                }
                if (eq < 0 || level < 0 || eq == spec.length() - 1) {
                    throw new IllegalArgumentException("--lod-input takes LEVEL=FILE with LEVEL >= 0, e.g. 1=mid.ply; "
                            + "was '" + spec + "'");
                }
                Path file = Path.of(spec.substring(eq + 1));
                dev.vsa.cli.InputFiles.requireRegular(file);
                all.add(new LodSets.Input(file, level));
            }
            LodSets.Result r = LodSets.write(all, out, options(), transforms, progress);
            long splats = r.counts().stream().mapToLong(Long::longValue).sum();
            String from = Splats.detect(in).id();
            summary = "levels " + r.counts() + " splats, " + dev.vsa.cli.output.Table.count(r.files(), "file") + ", "
                    + dev.vsa.cli.output.Table.count(r.chunks(), "chunk");
            return new Conversions.Result(from, SplatFormat.LOD.id(), SceneKind.SPLAT, null, splats, degree(out),
                    r.bytes(), List.of());
        }
        if (!inputs.isEmpty()) {
            throw new IllegalArgumentException("--lod-input adds levels to a lod-meta.json output");
        }
        List<Integer> levelsWanted = levelsToRead();
        ConvertResult r = Splats.convert(() -> LodSets.open(in, levelsWanted), out,
                new ConvertOptions(target, write, transforms), progress);
        return new Conversions.Result(r.input().format().id(), r.outputFormat().id(), SceneKind.SPLAT, r.splatsIn(),
                r.splatsOut(), r.shDegreeOut(), r.bytesOut(), r.losses());
    }

    private static int degree(Path set) throws IOException {
        try (var r = LodSets.open(set, List.of(0))) {
            return r.info().layout().shDegree();
        }
    }
}
