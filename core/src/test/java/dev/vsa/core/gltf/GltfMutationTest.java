package dev.vsa.core.gltf;

import dev.vsa.core.error.MalformedInputException;
import dev.vsa.core.render.RenderOptions;
import dev.vsa.core.render.Renderer;
import dev.vsa.core.scene.Scenes;
import dev.vsa.core.testing.TestFixtures;
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
 * Damaged copies of real files (truncations, random and JSON-ish bytes written over the header and JSON; fixed
 * seeds): detection, inspection, both conversions and rendering either work or throw
 * {@link MalformedInputException}, never anything else.
 */
class GltfMutationTest {
    private static final int MUTANTS = 60;
    private static final String JSONISH = "0123456789{}[],:\"-e.";

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"gltf/Box.glb", "gltf/Box_glTF-Embedded/Box.gltf", "gltf/BoxMeshopt.glb",
            "splats/khr_conformance_matrix.glb"})
    void mutants_failOnlyWithMalformedInput(String fixture) throws IOException {
        byte[] original = Files.readAllBytes(TestFixtures.path(fixture));
        Random rnd = new Random(fixture.hashCode());
        List<String> crashes = new ArrayList<>();
        for (int k = 0; k < MUTANTS; k++) {
            byte[] b = k % 3 == 0 ? Arrays.copyOf(original, rnd.nextInt(original.length + 1)) : original.clone();
            for (int i = 0; k % 3 != 0 && i < 1 + rnd.nextInt(6); i++) {
                int at = rnd.nextInt(Math.min(b.length, 1200));
                b[at] = (byte) (k % 3 == 1 ? JSONISH.charAt(rnd.nextInt(JSONISH.length())) : rnd.nextInt(256));
            }
            Path p = Files.write(dir.resolve(TestFixtures.path(fixture).getFileName()), b);
            for (int op = 0; op < 5; op++) {
                try {
                    switch (op) {
                        case 0 -> Scenes.detect(p);
                        case 1 -> GltfInspector.inspect(p);
                        case 2 -> GltfConverter.toGlb(p, dir.resolve("o.glb"));
                        case 3 -> GltfConverter.toGltf(p, dir.resolve("o.gltf"), k % 2 == 0);
                        default -> Renderer.render(p, RenderOptions.DEFAULTS.withSize(16, 16), (i, image) -> { });
                    }
                } catch (MalformedInputException e) {
                    // expected for most mutants
                } catch (RuntimeException e) {
                    crashes.add("mutant " + k + " op " + op + ": " + e + " at " + e.getStackTrace()[0]);
                }
            }
        }
        assertEquals(List.of(), crashes);
    }
}
