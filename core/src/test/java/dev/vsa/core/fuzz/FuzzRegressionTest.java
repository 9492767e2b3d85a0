package dev.vsa.core.fuzz;

import dev.vsa.core.gltf.resource.SmallHeapTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every input that ever made a parser fail (found by {@code bench/fuzz.sh}, or hand-written for issue 10) stays
 * here: {@code fuzz-regressions/<target>/<file>} in the test resources, fed to the same target as the fuzzer's.
 * A parser may refuse it with a code, never throw anything else, run out of memory or hang.
 */
class FuzzRegressionTest {
    static Stream<Path> inputs() throws URISyntaxException, IOException {
        Path root = Path.of(FuzzRegressionTest.class.getResource("/fuzz-regressions").toURI());
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().equals("README.md"))
                    .sorted().toList().stream();
        }
    }

    /**
     * The same inputs in a JVM with a small heap: every input is a few KB, so one that needs more than 96 MiB is an
     * amplification bug (the fuzzer itself runs under -Xmx256m, where such an input barely fits beside its corpus).
     */
    @Test
    void run_underSmallHeap() throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx96m", "-XX:TieredStopAtLevel=1", "-cp", SmallHeapTest.classPath(), FuzzReplay.class.getName()));
        inputs().forEach(p -> cmd.add(p.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), out);
        assertEquals(inputs().count(), out.lines().filter(l -> l.startsWith("ok ")).count(), out);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inputs")
    @Timeout(30) // a guard against a hang (the fuzzer's own limit is 2 s an input), not a measurement
    void run_refusesOrReads(Path input) throws IOException {
        String target = input.getParent().getFileName().toString();
        byte[] data = Files.readAllBytes(input);
        assertDoesNotThrow(() -> ParserFuzz.run(target, data), input.toString());
    }
}
