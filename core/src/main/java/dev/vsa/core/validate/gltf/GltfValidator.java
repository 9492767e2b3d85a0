package dev.vsa.core.validate.gltf;

import dev.vsa.core.validate.Info;
import dev.vsa.core.validate.IssueSink;

import java.io.IOException;
import java.nio.file.Path;

/**
 * glTF 2.0 / GLB validation (internal to {@link dev.vsa.core.validate.Validator}; public only so that package
 * can call it).
 */
public final class GltfValidator {
    private GltfValidator() {
    }

    /**
     * Validates a glTF JSON or GLB file into {@code sink}.
     *
     * @param file the file
     * @param glb  true for GLB, false for JSON
     * @param sink where issues go
     * @return the report's info, or null if the JSON could not be read far enough
     * @throws IOException if the file itself cannot be read
     */
    public static Info validate(Path file, boolean glb, IssueSink sink) throws IOException {
        return null;
    }
}
