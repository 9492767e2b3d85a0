package dev.vsa.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The launchers record {@code convert}'s AOT cache from {@code AotTraining DIR convert}: a step failing there would
 * leave no cache (silently slower starts), and a demo run would put its classes back into it.
 */
class AotTrainingTest {
    @Test
    void convertTraining_convertsEveryKindWithoutTheDemo(@TempDir Path dir) throws Exception {
        assertEquals(0, AotTraining.train(dir, true));
        for (String out : new String[] {"t.sog", "t.ply", "t.compressed.ply", "t.splat", "t.spz", "s.ply", "t.glb"}) {
            assertTrue(Files.size(dir.resolve(out)) > 0, out);
        }
        assertFalse(Files.exists(dir.resolve("demo/demo.spz")), "the demo did not run");
    }

    /** The training copies zstd-jni's library for this platform where the launcher then points zstd-jni. */
    @Test
    void zstdLibrary_copiedWhole(@TempDir Path dir) throws Exception {
        Path lib = dir.resolve("vsa-x-zstd-jni.lib");
        AotTraining.copyZstdLibrary(lib);
        assertTrue(Files.size(lib) > 100_000, "zstd-jni has a library for this platform: " + Files.size(lib));
        try (var files = Files.list(dir)) {
            assertEquals(java.util.List.of(lib), files.toList(), "no temporary file left");
        }
        AotTraining.copyZstdLibrary(dir.resolve("missing/x.lib")); // a folder that is not there: nothing, no error
        assertFalse(Files.exists(dir.resolve("missing")));
    }

    /** serve's cache is recorded from a server serving: the run starts one, drives it over HTTP and stops it cleanly. */
    @Test
    void serveTraining_servesAndStops(@TempDir Path dir) throws Exception {
        assertEquals(0, ServeTraining.train(dir));
        assertTrue(Files.isDirectory(dir.resolve("home")), "the server's home is the scratch folder's");
        assertTrue(Files.exists(dir.resolve("t0.splat")), "uploaded a scene");
    }
}
