package dev.vsa.core.validate.splat;

import dev.vsa.core.testing.TestFixtures;
import dev.vsa.core.validate.ValidationReport;
import dev.vsa.core.validate.Validator;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Damaged copies of real splat files (truncations and overwritten bytes, fixed seeds): validation always
 * returns a report, whatever the damage; bad content never escapes as an exception.
 */
class SplatMutationTest {
    private static final int MUTANTS = 60;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"splats/unitCube-ascii.ply", "splats/test-sh3.compressed.ply", "splats/minimal.splat",
            "splats/minimal-v2.spz", "splats/minimal-v3.spz", "splats/minimal-v4.spz", "splats/minimal-raw.spz",
            "splats/minimal.ksplat"})
    void mutants_alwaysGetAReport(String fixture) throws IOException {
        byte[] original = Files.readAllBytes(TestFixtures.path(fixture));
        Random rnd = new Random(fixture.hashCode());
        List<String> crashes = new ArrayList<>();
        for (int k = 0; k < MUTANTS; k++) {
            byte[] b = k % 3 == 0 ? Arrays.copyOf(original, rnd.nextInt(original.length + 1)) : original.clone();
            for (int i = 0; k % 3 != 0 && i < 1 + rnd.nextInt(8); i++) {
                b[rnd.nextInt(Math.min(b.length, k % 2 == 0 ? 400 : b.length))] = (byte) rnd.nextInt(256);
            }
            Path p = Files.write(dir.resolve(TestFixtures.path(fixture).getFileName()), b);
            try {
                ValidationReport r = Validator.validate(p);
                if (r.issues() == null) {
                    crashes.add("mutant " + k + ": no issues object");
                }
            } catch (RuntimeException e) {
                crashes.add("mutant " + k + ": " + e + " at " + e.getStackTrace()[0]);
            }
        }
        assertEquals(List.of(), crashes);
    }
}
