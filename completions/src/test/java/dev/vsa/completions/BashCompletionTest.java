package dev.vsa.completions;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Drives the generated bash script in a real bash, as bash's programmable completion would. */
class BashCompletionTest {
    static Path script;

    @BeforeAll
    static void findScript() {
        script = Path.of(System.getProperty("vsa.completions.dir", "target"), "vsa.bash").toAbsolutePath();
        assertTrue(Files.isRegularFile(script), "generated at build time: " + script);
    }

    /** Completes {@code line} (the cursor at its end) in {@code dir}; returns COMPREPLY. */
    static List<String> complete(Path dir, String line) throws IOException, InterruptedException {
        String program = "source '" + script + "'\n"
                + "COMP_LINE='" + line + "'\n"
                + "COMP_POINT=${#COMP_LINE}\n"
                + "read -r -a COMP_WORDS <<< \"$COMP_LINE\"\n"
                + "if [[ \"$COMP_LINE\" == *' ' ]]; then COMP_WORDS+=(''); fi\n"
                + "COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))\n"
                + "_complete_vsa vsa \"${COMP_WORDS[COMP_CWORD]}\" \"${COMP_WORDS[COMP_CWORD-1]}\"\n"
                + "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
        Process p = new ProcessBuilder("bash", "--norc", "--noprofile", "-c", program)
                .directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start(); // compopt complains outside real completion
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out.lines().filter(s -> !s.isEmpty()).toList();
    }

    @Test
    void subcommand_prefix(@TempDir Path dir) throws Exception {
        assertEquals(List.of("convert"), complete(dir, "vsa con"));
    }

    @Test
    void toOption_listsFormats(@TempDir Path dir) throws Exception {
        List<String> got = complete(dir, "vsa convert x.ply --to ");
        assertTrue(got.containsAll(List.of("ply", "spz", "splat", "glb", "gltf", "compressed-ply")), got::toString);
    }

    @Test
    void options_ofCommand(@TempDir Path dir) throws Exception {
        List<String> got = complete(dir, "vsa validate --fa");
        assertEquals(List.of("--fail-on"), got);
        assertEquals(List.of("error", "warning"), complete(dir, "vsa validate --fail-on "));
    }

    @Test
    void inputFiles_filteredByReadableFormats(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("scene.ply"), "ply");
        Files.writeString(dir.resolve("scene.spz"), "x");
        Files.writeString(dir.resolve("notes.txt"), "x");
        Files.createDirectories(dir.resolve("scans"));
        List<String> got = complete(dir, "vsa inspect ");
        assertTrue(got.containsAll(List.of("scene.ply", "scene.spz", "scans")), got::toString);
        assertFalse(got.contains("notes.txt"), got::toString);
        List<String> batch = complete(dir, "vsa batch sc");
        assertTrue(batch.containsAll(List.of("scene.ply", "scene.spz", "scans")), batch::toString);
    }
}
