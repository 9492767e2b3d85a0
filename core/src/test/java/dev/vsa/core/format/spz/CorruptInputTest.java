package dev.vsa.core.format.spz;

import dev.vsa.core.error.MalformedInputException;
import dev.vsa.core.format.Fixtures;
import dev.vsa.core.splat.SplatBatch;
import dev.vsa.core.splat.SplatReader;
import dev.vsa.core.splat.Splats;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Seeded corruptions (flipped bytes, truncations) of real SPZ and GLB files: reading may succeed or fail with
 * {@link MalformedInputException}, never with another exception or an allocation the file cannot justify.
 */
class CorruptInputTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"splat-transform/st-v3.spz", "splat-transform/st-v4.spz", "splat-transform/st.glb",
        "minimal-raw.spz", "minimal-v2.spz", "khr_conformance_matrix.glb"})
    void read_corrupted_onlyMalformedInput(String name) throws IOException {
        byte[] good = Files.readAllBytes(Fixtures.splat(name));
        SplittableRandom random = new SplittableRandom(name.hashCode());
        Path file = dir.resolve("c" + name.substring(name.lastIndexOf('.')));
        for (int round = 0; round < 150; round++) {
            byte[] bad;
            if (round % 5 == 4) {
                bad = Arrays.copyOf(good, random.nextInt(good.length));
            } else {
                bad = good.clone();
                int flips = 1 + random.nextInt(4);
                for (int f = 0; f < flips; f++) {
                    // Headers matter most: aim half of the flips at the first 64 bytes.
                    int at = random.nextBoolean() ? random.nextInt(Math.min(64, bad.length)) : random.nextInt(bad.length);
                    bad[at] = (byte) random.nextInt(256);
                }
            }
            Files.write(file, bad);
            try (SplatReader r = Splats.open(file)) {
                SplatBatch b = new SplatBatch(r.info().layout(), 256);
                while (r.read(b) > 0) {
                    // drain
                }
            } catch (MalformedInputException expected) {
                // fine
            } catch (RuntimeException | IOException | OutOfMemoryError e) {
                fail(name + " round " + round + ": " + e, e);
            }
        }
    }
}
