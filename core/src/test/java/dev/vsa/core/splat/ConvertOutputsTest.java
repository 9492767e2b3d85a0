package dev.vsa.core.splat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vsa.core.progress.ProgressListener;
import dev.vsa.core.testing.SyntheticSplats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What {@link Splats#convert} leaves on disk: final names only, whatever happens. */
class ConvertOutputsTest {
    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void convert_toGltf_bufferNamedFinallyNoHiddenFiles(@TempDir Path dir) throws Exception {
        Path in = SyntheticSplats.write(dir.resolve("in.ply"), SplatFormat.PLY, SyntheticSplats.layout(1), 300, 1);
        Path out = dir.resolve("x.gltf");
        ConvertResult first = Splats.convert(in, out, ConvertOptions.DEFAULTS, ProgressListener.NONE);
        Splats.convert(in, out, ConvertOptions.DEFAULTS, ProgressListener.NONE); // a second run: still no orphan
        assertEquals(List.of("in.ply", "x.bin", "x.gltf"), names(dir));
        JsonNode json = new ObjectMapper().readTree(out.toFile());
        assertEquals("x.bin", json.path("buffers").get(0).path("uri").asText());
        assertEquals(Files.size(out) + Files.size(dir.resolve("x.bin")), first.bytesOut(), "JSON + .bin");
        try (var reader = Splats.open(out)) {
            assertEquals(300, reader.info().count());
        }
    }

    @Test
    void convert_intoMissingFolder_namesTheFolder(@TempDir Path dir) throws Exception {
        Path in = SyntheticSplats.write(dir.resolve("in.ply"), SplatFormat.PLY, SyntheticSplats.layout(0), 10, 1);
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> Splats.convert(in,
                dir.resolve("missing/out.spz"), ConvertOptions.DEFAULTS, ProgressListener.NONE));
        assertEquals(dir.resolve("missing").toString(), e.getFile());
        assertEquals("no such folder", e.getReason());
    }

    @Test
    void convert_sh3ToSplat_reportsLossAndOutputDegree(@TempDir Path dir) throws Exception {
        Path in = SyntheticSplats.write(dir.resolve("in.ply"), SplatFormat.PLY, SyntheticSplats.layout(3, "foo"), 50, 1);
        ConvertResult r = Splats.convert(in, dir.resolve("o.splat"), ConvertOptions.DEFAULTS, ProgressListener.NONE);
        assertEquals(0, r.shDegreeOut());
        assertEquals(3, r.losses().size(), r.losses()::toString);
        assertTrue(r.losses().get(0).startsWith("SH degree 3 -> 0"), r.losses()::toString);
        assertTrue(r.losses().get(1).contains("foo"), r.losses()::toString);
        ConvertResult lossless = Splats.convert(in, dir.resolve("o.ply"), ConvertOptions.DEFAULTS, ProgressListener.NONE);
        assertEquals(List.of(), lossless.losses());
        assertEquals(3, lossless.shDegreeOut());
    }

    @Test
    void convert_stoppedLikeCtrlC_leavesNoTemporaryFile(@TempDir Path dir) throws Exception {
        Path in = SyntheticSplats.write(dir.resolve("in.ply"), SplatFormat.PLY, SyntheticSplats.layout(0), 20_000, 1);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // surefire puts core on the module path: run everything from the class path in the child
        String cp = System.getProperty("java.class.path") + (System.getProperty("jdk.module.path") == null ? ""
                : File.pathSeparator + System.getProperty("jdk.module.path"));
        Process p = new ProcessBuilder(java, "-cp", cp,
                ConvertThenHang.class.getName(), in.toString(), dir.resolve("sorted.ply").toString())
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("started", out.readLine());
            assertTrue(names(dir).stream().anyMatch(n -> n.startsWith(".vsa-")), () -> "no temporary output to clean");
            p.destroy(); // SIGTERM: shutdown hooks run, as on Ctrl-C (SIGINT)
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals(List.of("in.ply"), names(dir));
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void writeSpz_withZstdJni_noUnsafeWarningOnNewJdks(@TempDir Path dir) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Runtime.version().feature() >= 24, "JDK 24+ warns");
        Path in = SyntheticSplats.write(dir.resolve("in.ply"), SplatFormat.PLY, SyntheticSplats.layout(1), 2000, 1);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path") + (System.getProperty("jdk.module.path") == null ? ""
                : File.pathSeparator + System.getProperty("jdk.module.path"));
        // zstd-jni is on this class path (core's optional dependency, as the CLI ships it): SPZ v4 goes through it
        Process p = new ProcessBuilder(java, "-cp", cp, WriteSpzProbe.class.getName(), in.toString(),
                dir.resolve("o.spz").toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), out);
        assertTrue(out.contains("written"), out);
        assertTrue(!out.contains("sun.misc.Unsafe"), out);
    }
}
