package dev.vsa.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedOutputStream;
import java.io.File;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A java.lang.Error in a command reaches the user as one line and an exit code, never a stack trace. */
class FatalErrorTest {
    @TempDir
    Path dir;

    @Test
    void outOfMemory_oneLineNoStackTrace() throws Exception {
        // millions of empty objects, read with the JSON budget lifted far past a 48 MiB heap: the JVM runs out
        Path f = dir.resolve("objects.gltf");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(f), 1 << 20)) {
            out.write("{\"asset\":{\"version\":\"2.0\"},\"extras\":[{}".getBytes(StandardCharsets.US_ASCII));
            byte[] block = ",{}".repeat(1024).getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 3 * 1024; i++) {
                out.write(block);
            }
            out.write("]}".getBytes(StandardCharsets.US_ASCII));
        }
        String cp = System.getProperty("java.class.path", "");
        String mp = System.getProperty("jdk.module.path", "");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx48m",
                "-XX:TieredStopAtLevel=1", "-Dvsa.json.max-memory=" + (8L << 30),
                "-cp", mp.isEmpty() ? cp : mp + File.pathSeparator + cp, Main.class.getName(), "inspect", f.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), out);
        assertEquals(ExitCodes.IO, p.exitValue(), out);
        assertTrue(out.startsWith("error: out of memory"), out);
        assertEquals(1, out.lines().count(), out);
        assertFalse(out.contains("\tat "), out);
    }
}
