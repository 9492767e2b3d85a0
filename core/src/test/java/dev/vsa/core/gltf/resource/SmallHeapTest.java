package dev.vsa.core.gltf.resource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * glTF files built to exhaust a 256 MiB heap (issue 10, section 5): one huge string, a huge data URI, millions of
 * empty objects, numbers or nodes. Every reader (validate, inspect, convert, the splat codec) must refuse them with
 * a code inside its JSON budget instead of running out of memory. The files are made here (about 150 MB in the
 * temporary folder) and read by one forked JVM with {@code -Xmx256m}.
 */
public class SmallHeapTest {
    @TempDir
    Path dir;

    /**
     * The sizes of issue 10 (a 64 MB string, a 48 MB data URI, 18 MB of {@code {}}, 25 MB of numbers or nodes under
     * a 256 MiB heap) divided by {@code D}, with the heap divided alike: a quarter keeps the suite fast and fails the same way
     * on code without a budget (set D = 1 by hand for the full sizes).
     */
    private static final int D = 4;
    private static final String ASSET = "{\"asset\":{\"version\":\"2.0\"}";

    private Path write(String name, String head, String item, long count, String tail) throws IOException {
        Path f = dir.resolve(name);
        byte[] it = item.repeat(64).getBytes(StandardCharsets.US_ASCII);
        count /= 64;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(f), 1 << 20)) {
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            for (long i = 0; i < count; i++) {
                out.write(it);
            }
            out.write(tail.getBytes(StandardCharsets.US_ASCII));
        }
        return f;
    }

    /** Surefire runs core's tests on the module path: the forked JVM gets both paths as its class path. */
    public static String classPath() {
        String cp = System.getProperty("java.class.path", "");
        String mp = System.getProperty("jdk.module.path", "");
        return mp.isEmpty() ? cp : cp.isEmpty() ? mp : mp + java.io.File.pathSeparator + cp;
    }

    @Test
    void hostileJson_refusedWithCodeUnderSmallHeap() throws Exception {
        List<Path> files = List.of(
                write("string.gltf", ASSET + ",\"extras\":{\"s\":\"", "a".repeat(1024), 64 * 1024 / D, "\"}}"),
                write("datauri.gltf", ASSET + ",\"buffers\":[{\"byteLength\":" + (36 << 20) / D + ",\"uri\":"
                        + "\"data:application/octet-stream;base64,", "A".repeat(1024), 48 * 1024 / D, "\"}]}"),
                write("objects.gltf", ASSET + ",\"extras\":[{}", ",{}", (6 << 20) / D, "]}"),
                write("numbers.gltf", ASSET + ",\"extras\":[1.5", ",1234.5", (25 << 20) / 8 / D, "]}"),
                write("nodes.gltf", ASSET + ",\"nodes\":[{}", ",{\"mesh\":0}", (25 << 20) / 12 / D, "]}"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + 256 / D + "m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", classPath(),
                SmallHeapProbe.class.getName()));
        files.forEach(f -> cmd.add(f.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);
        List<String> lines = out.lines().toList();
        assertEquals(20, lines.size(), out);
        for (String line : lines) {
            String result = line.substring(line.lastIndexOf(' ') + 1);
            boolean refused = line.contains(" validate ") ? result.equals("JSON_TOO_LARGE") : result.equals("LIMIT_EXCEEDED");
            assertTrue(refused, out);
        }
    }
}
