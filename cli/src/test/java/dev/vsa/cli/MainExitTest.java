package dev.vsa.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code Main.main} ends a successful command by returning (no Runtime.exit) unless another thread would keep the
 * JVM running; every other code still goes through System.exit. Both paths in a real JVM.
 */
class MainExitTest {
    @TempDir
    Path dir;

    private Process vsa(String... args) throws Exception {
        String cp = System.getProperty("java.class.path", "");
        String mp = System.getProperty("jdk.module.path", "");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED",
                "-cp", mp.isEmpty() ? cp : mp + File.pathSeparator + cp, Main.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    private static String finish(Process p) throws Exception {
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), out);
        return out;
    }

    @Test
    void exitCodes_successAndFailure() throws Exception {
        Path ply = dir.resolve("in.ply");
        dev.vsa.cli.demo.SyntheticScene.write(ply, dev.vsa.core.splat.SplatFormat.PLY, 500, 3, 7);
        Process ok = vsa("convert", ply.toString(), dir.resolve("out.splat").toString(), "--quiet");
        String out = finish(ok);
        assertEquals(0, ok.exitValue(), out);
        assertTrue(Files.size(dir.resolve("out.splat")) > 0);
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count(), "no temporary file left");
        }

        Process missing = vsa("convert", dir.resolve("missing.ply").toString(), dir.resolve("x.spz").toString());
        out = finish(missing);
        assertEquals(ExitCodes.IO, missing.exitValue(), out);
        assertTrue(out.startsWith("error: "), out);
    }

    @Test
    void otherThreadsAlive_onlyForNonDaemonThreads() throws Exception {
        boolean before = Main.otherThreadsAlive(); // (other tests of this JVM may have left threads)
        CountDownLatch release = new CountDownLatch(1);
        Thread worker = new Thread(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Thread daemon = new Thread(worker::run);
        daemon.setDaemon(true);
        daemon.start();
        assertEquals(before, Main.otherThreadsAlive(), "a daemon thread does not hold the JVM");
        worker.start();
        try {
            assertTrue(Main.otherThreadsAlive());
        } finally {
            release.countDown();
            worker.join();
            daemon.join();
        }
        assertEquals(before, Main.otherThreadsAlive());
    }
}
