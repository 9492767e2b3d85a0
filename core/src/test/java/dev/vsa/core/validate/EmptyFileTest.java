package dev.vsa.core.validate;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * An empty file is not a scene, whatever its name says: one EMPTY_FILE error (glTF and GLB keep the Khronos
 * validator's codes: HostileCorpusTest).
 */
class EmptyFileTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"a.splat", "a.ply", "a.compressed.ply", "a.spz", "a.ksplat", "a.sog", "meta.json",
            "lod-meta.json", "a.bin"})
    void validate_emptyFile_oneEmptyFileError(String name) throws Exception {
        Path f = Files.createFile(dir.resolve(name));
        ValidationReport r = Validator.validate(f);
        assertEquals(1, r.issues().numErrors(), r.toString());
        assertEquals(Validator.EMPTY_FILE, r.issues().messages().get(0).code(), r.toString());
        assertEquals(1, r.issues().messages().size(), r.toString());
        assertFalse(r.toString().contains("SPLAT_EMPTY"), r.toString());
    }
}
