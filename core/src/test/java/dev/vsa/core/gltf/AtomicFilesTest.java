package dev.vsa.core.gltf;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AtomicFilesTest {
    @Test
    void commit_movesInOrder_closeWithoutCommit_deletes(@TempDir Path dir) throws IOException {
        try (AtomicFiles out = new AtomicFiles()) {
            try (FileChannel ch = out.create(dir.resolve("a.bin"))) {
                ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
            }
            out.create(dir.resolve("a.gltf")).close();
            out.commit();
        }
        assertEquals(List.of("a.bin", "a.gltf"), names(dir));
        assertEquals(3, Files.size(dir.resolve("a.bin")));
        try (AtomicFiles out = new AtomicFiles()) {
            out.create(dir.resolve("b.glb")).close();
        }
        assertEquals(List.of("a.bin", "a.gltf"), names(dir));
    }

    /** A glTF conversion's temporary outputs go on Ctrl-C as a splat conversion's do (they stayed before). */
    @Test
    void create_stoppedLikeCtrlC_leavesNoTemporaryFile(@TempDir Path dir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // surefire puts core on the module path: run everything from the class path in the child
        String cp = System.getProperty("java.class.path") + (System.getProperty("jdk.module.path") == null ? ""
                : File.pathSeparator + System.getProperty("jdk.module.path"));
        Process p = new ProcessBuilder(java, "-cp", cp, AtomicFilesThenHang.class.getName(),
                dir.resolve("out.glb").toString()).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("started", out.readLine());
            assertTrue(names(dir).stream().anyMatch(n -> n.startsWith(".out.glb.")), () -> "no temporary output");
            p.destroy(); // SIGTERM: shutdown hooks run, as on Ctrl-C (SIGINT)
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals(List.of(), names(dir));
        } finally {
            p.destroyForcibly();
        }
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(q -> q.getFileName().toString()).sorted().toList();
        }
    }
}
