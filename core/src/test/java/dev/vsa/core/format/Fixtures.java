package dev.vsa.core.format;

import dev.vsa.core.splat.SplatBatch;
import dev.vsa.core.splat.SplatReader;
import dev.vsa.core.splat.Splats;

import java.io.IOException;
import java.nio.file.Path;

/** Test fixtures (copied from /work/shared/data/splats, see SOURCES there) and whole-file helpers. */
public final class Fixtures {
    private Fixtures() {
    }

    /** A fixture under src/test/resources/splats (tests run in the module directory). */
    public static Path splat(String name) {
        return Path.of("src/test/resources/splats", name).toAbsolutePath();
    }

    /**
     * The splat-transform executable for the live interop tests, or the test is skipped: {@code SPLAT_TRANSFORM}
     * (as the bench scripts take it), else {@code -Dvsa.splatTransform}, else {@code splat-transform} on the PATH,
     * else the copy .ci/run installs ({@code ~/.cache/vsa-peers}), else this machine's /work/peers install.
     */
    public static Path splatTransform() {
        String given = System.getenv("SPLAT_TRANSFORM");
        if (given == null) {
            given = System.getProperty("vsa.splatTransform");
        }
        Path tool = null;
        if (given != null) {
            tool = Path.of(given);
        } else {
            for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
                Path p = Path.of(dir.isEmpty() ? "." : dir, "splat-transform");
                if (java.nio.file.Files.isExecutable(p)) {
                    tool = p;
                    break;
                }
            }
            String cache = System.getenv().getOrDefault("XDG_CACHE_HOME", System.getProperty("user.home") + "/.cache");
            for (Path p : java.util.List.of(Path.of(cache, "vsa-peers/node_modules/.bin/splat-transform"),
                    Path.of("/work/peers/node_modules/.bin/splat-transform"))) {
                if (tool == null && java.nio.file.Files.isExecutable(p)) {
                    tool = p;
                }
            }
            if (tool == null) {
                tool = Path.of("/work/peers/node_modules/.bin/splat-transform");
            }
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isExecutable(tool),
                "splat-transform is not installed (set SPLAT_TRANSFORM): " + tool);
        return tool;
    }

    /** Reads a whole (small) file into one batch. */
    public static SplatBatch readAll(Path file) throws IOException {
        try (SplatReader r = Splats.open(file)) {
            long count = r.info().count();
            SplatBatch all = new SplatBatch(r.info().layout(), (int) Math.max(1, count));
            SplatBatch part = new SplatBatch(r.info().layout(), 1000);
            int rows = 0;
            int n;
            while ((n = r.read(part)) > 0) {
                System.arraycopy(part.array(), 0, all.array(), rows * all.stride(), n * all.stride());
                rows += n;
            }
            all.setSize(rows);
            return all;
        }
    }
}
