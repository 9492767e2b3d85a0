package dev.vsa.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the README's code blocks marked {@code <!-- runnable -->}, in order, as one bash script in an empty
 * folder, where {@code ./vsa} runs this build's classes: the examples must work as written.
 */
class ReadmeExamplesTest {
    private static final Pattern RUNNABLE = Pattern.compile("<!-- runnable -->\\s*```sh\\n(.*?)```", Pattern.DOTALL);

    static List<String> runnableBlocks(String readme) {
        List<String> blocks = new ArrayList<>();
        Matcher m = RUNNABLE.matcher(readme);
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }

    @Test
    void readme_runnableBlocks_succeed(@TempDir Path dir) throws IOException, InterruptedException {
        Path root = Path.of(System.getProperty("vsa.repo.root", "..")).toAbsolutePath();
        String readme = Files.readString(root.resolve("README.md"));
        List<String> blocks = runnableBlocks(readme);
        assertFalse(blocks.isEmpty(), "no <!-- runnable --> blocks in README.md");
        assertTrue(blocks.get(0).contains("./vsa demo"), "the first runnable block makes vsa-demo/");

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path launcher = dir.resolve("vsa");
        Files.writeString(launcher, "#!/bin/sh\nexec '" + java + "' -XX:TieredStopAtLevel=1 -cp '"
                + System.getProperty("java.class.path") + "' dev.vsa.cli.Main \"$@\"\n");
        assertTrue(launcher.toFile().setExecutable(true));
        StringBuilder script = new StringBuilder("set -eu\n");
        for (String b : blocks) {
            for (String line : b.split("\n")) {
                script.append(line).append('\n');
            }
            script.append("echo '--- block done'\n");
        }
        Process p = new ProcessBuilder("bash", "-c", script.toString()).directory(dir.toFile())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), out);
        assertEquals(0, p.exitValue(), () -> "README example failed:\n" + out);
        assertEquals(blocks.size(), out.split("--- block done", -1).length - 1, out);
    }
}
