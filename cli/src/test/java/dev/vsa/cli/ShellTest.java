package dev.vsa.cli;

import dev.vsa.cli.commands.Shell;
import dev.vsa.cli.demo.SyntheticScene;
import dev.vsa.core.splat.SplatFormat;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shell on jline's dumb terminal with piped input: commands, errors that do not end it, help, history. */
class ShellTest {
    @Test
    void session_runsCommandsSurvivesErrorsKeepsHistory(@TempDir Path dir) throws Exception {
        Path ply = dir.resolve("s.ply");
        SyntheticScene.write(ply, SplatFormat.PLY, 64, 0, 1);
        String input = String.join("\n",
                "inspect " + ply,
                "conver " + ply,
                "convert " + dir.resolve("missing.ply") + " " + dir.resolve("x.spz"),
                "help",
                "login -u ada --password correct-horse --server http://127.0.0.1:1",
                "vsa convert " + ply + " " + dir.resolve("s.splat"),
                "exit",
                "inspect never-reached.ply") + "\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Path history = dir.resolve("home/history");
        try (Terminal t = new DumbTerminal("test", "dumb", new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
                out, StandardCharsets.UTF_8)) {
            assertEquals(ExitCodes.OK, Shell.session(t, history));
        }
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("splats         64"), text);
        assertTrue(text.contains("Did you mean: convert?"), text); // no "vsa" inside the shell
        assertTrue(text.contains("Try 'help' for more information."), text);
        assertFalse(text.contains("vsa --help"), text);
        assertTrue(text.contains("error: no such file: " + dir.resolve("missing.ply")), text);
        assertTrue(text.contains("Commands:"), text);
        assertTrue(Files.isRegularFile(dir.resolve("s.splat")), text);
        assertTrue(!text.contains("never-reached"), text);
        String saved = Files.readString(history);
        assertTrue(saved.contains("inspect " + ply), saved);
        assertFalse(saved.contains("correct-horse"), saved); // a password given as a flag is not kept
        assertTrue(saved.contains("vsa convert " + ply), saved);
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(history.getParent())));
        }
    }

    /**
     * {@code echo ... | vsa shell}: no terminal there, and no jline warning about it on stderr, only the session (native
     * access allowed, as the jar's manifest does).
     */
    @Test
    void run_pipedInput_noTerminalWarning(@TempDir Path dir) throws Exception {
        Path ply = dir.resolve("s.ply");
        SyntheticScene.write(ply, SplatFormat.PLY, 64, 0, 1);
        String cp = System.getProperty("java.class.path", "");
        String mp = System.getProperty("jdk.module.path", "");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED", "-cp", mp.isEmpty() ? cp : mp + File.pathSeparator + cp,
                Main.class.getName(), "shell").redirectErrorStream(true);
        pb.environment().put("VSA_HOME", dir.resolve("home").toString());
        Process p = pb.start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(("inspect " + ply + "\nexit\n").getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), out);
        assertEquals(ExitCodes.OK, p.exitValue(), out);
        assertTrue(out.contains("splats         64"), out);
        assertFalse(out.contains("WARNING") || out.contains("dumb terminal"), out);
    }
}
