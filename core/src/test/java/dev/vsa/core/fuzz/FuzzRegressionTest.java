package dev.vsa.core.fuzz;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

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

    @ParameterizedTest(name = "{0}")
    @MethodSource("inputs")
    @Timeout(30) // a guard against a hang (the fuzzer's own limit is 2 s an input), not a measurement
    void run_refusesOrReads(Path input) throws IOException {
        String target = input.getParent().getFileName().toString();
        byte[] data = Files.readAllBytes(input);
        assertDoesNotThrow(() -> ParserFuzz.run(target, data), input.toString());
    }
}
