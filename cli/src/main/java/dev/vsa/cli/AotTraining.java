package dev.vsa.cli;

import dev.vsa.cli.demo.SyntheticScene;
import dev.vsa.core.splat.SplatFormat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The run the launchers record vsa's AOT caches from ({@code java -XX:AOTCacheOutput=... -cp vsa.jar
 * dev.vsa.cli.AotTraining DIR [convert]}): the classes it loads and links are the ones later commands start with.
 * It runs, in one JVM, {@code vsa demo} on a small scene (writes PLY, SPZ and GLB, inspects and validates them),
 * then {@code vsa convert} through the command line as a user does: PLY to SOG, SOG back to PLY, and to compressed
 * PLY and .splat. Without the conversions, {@code convert}'s own options, the SOG reader and its WebP decoder were
 * loaded from the jar and verified on every run: a 1M-splat SH3 SOG to PLY through the launcher's flags, in the
 * high-priority cgroup of a loaded 2-core machine, 2 rounds of 8 runs a side: mean 0.95 s vs 1.04 s and 0.93 vs
 * 0.96 s, user CPU 0.84 vs 0.98 s and 0.74 vs 0.79 s (this cache and SogMeta without an ObjectMapper, against the
 * demo's cache).
 *
 * <p>With {@code convert}: the cache {@code vsa convert} starts from, recorded from conversions alone (the scene
 * is written directly, not by {@code vsa demo}). The JVM loads every class of a cache at start, used or not: the
 * demo's inspection, validation and JSON output (~730 of the ~3,100 classes) cost a conversion ~25-40 ms of start
 * (measured in the launcher ./vsa).
 * <p>With {@code serve}: the cache {@code vsa serve} starts from, recorded from a server serving ({@link ServeTraining}).
 * Its files go to {@code DIR}; a failing step stops it with that step's exit code (the launcher then records none).
 */
public final class AotTraining {
    private AotTraining() {
    }

    public static void main(String[] args) throws Exception {
        String zstdLib = System.getProperty("vsa.training.zstd");
        if (zstdLib != null) {
            copyZstdLibrary(Path.of(zstdLib));
        }
        if (args.length == 2 && args[1].equals("serve")) {
            System.exit(ServeTraining.train(Path.of(args[0])));
        }
        boolean convertOnly = args.length == 2 && args[1].equals("convert");
        if (args.length != 1 && !convertOnly) {
            System.err.println("usage: AotTraining DIR [convert|serve]");
            System.exit(2);
        }
        System.exit(train(Path.of(args[0]), convertOnly));
    }

    /**
     * Copies zstd-jni's native library for this platform (the one it would extract itself) to {@code target}, where
     * the launcher points it ({@code -DZstdNativePath}): otherwise every JVM that reads or writes SPZ extracts the
     * 1 MB library to a temporary file first (a SecureRandom seeded for its name, the jar's index read). 1M-splat SPZ
     * to PLY, 10 alternating runs a side in a high-priority cgroup on a loaded 2-core machine: mean 0.76 vs 0.85 s;
     * a 2,000-splat one 317 vs 351 ms (20 runs). Nothing where zstd-jni or its library for this platform is absent.
     */
    static void copyZstdLibrary(Path target) {
        try {
            Class<?> nativeClass = Class.forName("com.github.luben.zstd.util.Native");
            java.lang.reflect.Method resourceName = nativeClass.getDeclaredMethod("resourceName");
            resourceName.setAccessible(true);
            try (java.io.InputStream in = nativeClass.getResourceAsStream((String) resourceName.invoke(null))) {
                if (in == null) {
                    return;
                }
                // (whole or not at all: a command may start from it meanwhile)
                Path tmp = target.resolveSibling(target.getFileName() + "." + ProcessHandle.current().pid());
                try {
                    Files.copy(in, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                } finally {
                    Files.deleteIfExists(tmp);
                }
            }
        } catch (ReflectiveOperationException | java.io.IOException | RuntimeException | LinkageError e) {
            // zstd-jni extracts it itself
        }
    }

    /** Runs the training in {@code dir}; 0, or the exit code of the step that failed. */
    static int train(Path dir, boolean convertOnly) throws java.io.IOException {
        Path demo = dir.resolve("demo");
        Files.createDirectories(demo);
        String ply = demo.resolve("demo.ply").toString();
        List<String[]> steps = new ArrayList<>();
        if (convertOnly) {
            SyntheticScene.write(Path.of(ply), SplatFormat.PLY, 2000, 3, 42);
        } else {
            steps.add(new String[] {"demo", "--out", demo.toString(), "--splats", "2000", "--json"});
        }
        steps.add(new String[] {"convert", ply, dir.resolve("t.sog").toString(), "--quiet"});
        steps.add(new String[] {"convert", dir.resolve("t.sog").toString(), dir.resolve("t.ply").toString(), "--quiet"});
        steps.add(new String[] {"convert", ply, dir.resolve("t.compressed.ply").toString(), "--quiet"});
        steps.add(new String[] {"convert", ply, dir.resolve("t.splat").toString(), "--quiet"});
        if (convertOnly) {
            // what the demo did through the core API, here through convert: PLY to SPZ and GLB, and back
            steps.add(new String[] {"convert", ply, dir.resolve("t.spz").toString(), "--quiet"});
            steps.add(new String[] {"convert", dir.resolve("t.spz").toString(), dir.resolve("s.ply").toString(), "--quiet"});
            steps.add(new String[] {"convert", ply, dir.resolve("t.glb").toString(), "--quiet"});
        }
        for (String[] step : steps) {
            int code = Main.commandLine(step).execute(step);
            if (code != 0) {
                System.err.println("AotTraining: vsa " + String.join(" ", step) + " exited with " + code);
                return code;
            }
        }
        return 0;
    }
}
