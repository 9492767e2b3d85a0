package dev.vsa.core.bench;

import dev.vsa.core.splat.SplatBatch;
import dev.vsa.core.splat.SplatFormat;
import dev.vsa.core.splat.SplatReader;
import dev.vsa.core.splat.SplatWriter;
import dev.vsa.core.splat.Splats;
import dev.vsa.core.splat.WriteOptions;
import dev.vsa.core.testing.SyntheticSplats;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Command-line helper for {@code bench/splat-bench.sh} (not a test): generates a synthetic PLY, or converts one
 * file into another through {@link Splats} as a whole process, so the script can time it with JVM start included.
 *
 * <pre>
 * SplatBench generate OUT.ply COUNT DEGREE [SEED]
 * SplatBench convert IN OUT FORMAT [SPZ_VERSION]
 * SplatBench lod OUT/lod-meta.json IN                 (a LOD set, levels made)
 * SplatBench lod OUT/lod-meta.json 0=IN 1=IN2 ...     (a LOD set, levels given)
 * </pre>
 */
public final class SplatBench {
    private SplatBench() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length >= 4 && args[0].equals("generate")) {
            long seed = args.length > 4 ? Long.parseLong(args[4]) : 1;
            SyntheticSplats.write(Path.of(args[1]), SplatFormat.PLY, SyntheticSplats.layout(Integer.parseInt(args[3])),
                    Long.parseLong(args[2]), seed);
            return;
        }
        if (args.length >= 4 && args[0].equals("convert")) {
            SplatFormat to = SplatFormat.byId(args[3]).orElseThrow(() -> new IllegalArgumentException("format " + args[3]));
            WriteOptions options = new WriteOptions(args.length > 4 ? Integer.parseInt(args[4]) : 4);
            long n = 0;
            try (SplatReader in = Splats.open(Path.of(args[1]));
                 SplatWriter out = Splats.create(Path.of(args[2]), to, in.info().layout(), options)) {
                SplatBatch batch = new SplatBatch(in.info().layout(), SplatBatch.DEFAULT_CAPACITY);
                int k;
                while ((k = in.read(batch)) > 0) {
                    out.write(batch);
                    n += k;
                }
                out.finish();
            }
            System.out.println(n);
            return;
        }
        if (args.length >= 3 && args[0].equals("lod")) {
            // lod OUT/lod-meta.json IN (levels made) | lod OUT/lod-meta.json LEVEL=IN LEVEL=IN ... (levels given)
            java.util.List<dev.vsa.core.lod.LodSets.Input> inputs = new java.util.ArrayList<>();
            for (int i = 2; i < args.length; i++) {
                int eq = args[i].indexOf('=');
                inputs.add(eq < 0 ? new dev.vsa.core.lod.LodSets.Input(Path.of(args[i]), -1)
                        : new dev.vsa.core.lod.LodSets.Input(Path.of(args[i].substring(eq + 1)),
                        Integer.parseInt(args[i].substring(0, eq))));
            }
            System.out.println(dev.vsa.core.lod.LodSets.write(inputs, Path.of(args[1]),
                    dev.vsa.core.lod.LodOptions.DEFAULTS, java.util.List.of(), null));
            return;
        }
        System.err.println("usage: SplatBench generate OUT.ply COUNT DEGREE [SEED] | convert IN OUT FORMAT [SPZ_VERSION]"
                + " | lod OUT/lod-meta.json IN | lod OUT/lod-meta.json LEVEL=IN...");
        System.exit(2);
    }
}
