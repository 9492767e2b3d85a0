package dev.vsa.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The run the launchers record vsa's AOT cache from ({@code java -XX:AOTCacheOutput=... -cp vsa.jar
 * dev.vsa.cli.AotTraining DIR}): the classes it loads and links are the ones later commands start with. It runs,
 * in one JVM, {@code vsa demo} on a small scene (writes PLY, SPZ and GLB, inspects and validates them), then
 * {@code vsa convert} through the command line as a user does: PLY to SOG, SOG back to PLY, and to compressed PLY
 * and .splat. Without the conversions, {@code convert}'s own options, the SOG reader and its WebP decoder were
 * loaded from the jar and verified on every run: a 1M-splat SH3 SOG to PLY through the launcher's flags, in the
 * high-priority cgroup of a loaded 2-core machine, 2 rounds of 8 runs a side: mean 0.95 s vs 1.04 s and 0.93 vs
 * 0.96 s, user CPU 0.84 vs 0.98 s and 0.74 vs 0.79 s (this cache and SogMeta without an ObjectMapper, against the
 * demo's cache).
 * Its files go to {@code DIR}; a failing step stops it with that step's exit code (the launcher then records none).
 */
public final class AotTraining {
    private AotTraining() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: AotTraining DIR");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        String demo = dir.resolve("demo").toString();
        String ply = dir.resolve("demo").resolve("demo.ply").toString();
        String[][] steps = {
                {"demo", "--out", demo, "--splats", "2000", "--json"},
                {"convert", ply, dir.resolve("t.sog").toString(), "--quiet"},
                {"convert", dir.resolve("t.sog").toString(), dir.resolve("t.ply").toString(), "--quiet"},
                {"convert", ply, dir.resolve("t.compressed.ply").toString(), "--quiet"},
                {"convert", ply, dir.resolve("t.splat").toString(), "--quiet"},
        };
        for (String[] step : steps) {
            int code = Main.commandLine(step).execute(step);
            if (code != 0) {
                System.err.println("AotTraining: vsa " + String.join(" ", step) + " exited with " + code);
                System.exit(code);
            }
        }
        System.exit(0);
    }
}
