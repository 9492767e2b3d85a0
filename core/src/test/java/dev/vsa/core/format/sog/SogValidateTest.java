package dev.vsa.core.format.sog;

import dev.vsa.core.format.Fixtures;
import dev.vsa.core.validate.ValidationReport;
import dev.vsa.core.validate.Validator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code vsa validate} on real SOG files and LOD sets reads them with their codec: a .sog was UNKNOWN_FORMAT, and an
 * unbundled meta.json or a lod-meta.json went to the glTF validator ("Property 'asset' must be defined").
 */
class SogValidateTest {
    @ParameterizedTest
    @ValueSource(strings = {"sog/st-2k-sh3.sog", "sog/st-2k-sh1/meta.json", "sog/pc-logo-v1-4k/meta.json",
            "lod/st-2lv-sh1/lod-meta.json"})
    void validate_realSogAndLod_validWithTheirCount(String name) throws Exception {
        Path f = Fixtures.splat(name);
        ValidationReport r = Validator.validate(f);
        assertTrue(r.isValid(), () -> r.issues().messages().toString());
        assertEquals(0, r.issues().numWarnings(), () -> r.issues().messages().toString());
        assertTrue(r.info() != null && r.info().splatCount() != null && r.info().splatCount() > 0, r::toString);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sog/st-2k-sh1/meta.json", "lod/st-2lv-sh1/lod-meta.json"})
    void validate_sogJsonMissingItsFiles_codedErrorNotGltf(String name) throws Exception {
        Path copy = java.nio.file.Files.createTempDirectory("vsa-sogvalidate-").resolve(Path.of(name).getFileName());
        java.nio.file.Files.copy(Fixtures.splat(name), copy);
        ValidationReport r = Validator.validate(copy);
        assertTrue(!r.isValid(), r::toString);
        String codes = r.issues().messages().toString();
        assertTrue(codes.contains("SOG_"), codes);
    }
}
