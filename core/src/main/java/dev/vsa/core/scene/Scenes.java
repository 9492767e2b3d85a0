package dev.vsa.core.scene;

import dev.vsa.core.error.ErrorCode;
import dev.vsa.core.error.MalformedInputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds out what a scene file is by its content: magic bytes, headers and (for glTF) the JSON. Workers use
 * it to decide how to process an upload, the server to refuse what vsa cannot read.
 *
 * <p>Only the headers are read (a bounded number of bytes, plus a streaming pass over a glTF's JSON), so
 * detection is cheap for files of any size. It recognises a format, it does not validate the file: a PLY
 * whose body is truncated is still a {@code PLY}. The file name is consulted only for {@code .splat}, which
 * has no header, and to keep a damaged {@code .gltf} or gzip-wrapped {@code .spz} on its format's path so
 * that validation, not detection, reports what is wrong with it.
 *
 * <pre>{@code
 * DetectedScene scene = Scenes.detect(Path.of("upload.glb"));
 * if (scene.kind() == SceneKind.SPLAT) { ... Splats.open(path) ... } else { ... GltfInspector.inspect(path) ... }
 * }</pre>
 */
public final class Scenes {
    private Scenes() {
    }

    /**
     * Detects the format of a scene file by content.
     *
     * @throws MalformedInputException {@code EMPTY_FILE} for an empty file, {@code UNKNOWN_FORMAT} when the
     *                                 content is none of the formats in {@link SceneFormat}
     * @throws IllegalArgumentException if {@code path} is not a regular file
     * @throws IOException              if the file cannot be read
     */
    public static DetectedScene detect(Path path) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException(path + " is not a regular file");
        }
        long size = Files.size(path);
        if (size == 0) {
            throw new MalformedInputException(ErrorCode.EMPTY_FILE, null, path.getFileName() + " is empty");
        }
        DetectedScene found = SceneSniffer.sniff(path, size);
        if (found == null) {
            throw new MalformedInputException(ErrorCode.UNKNOWN_FORMAT, null, path.getFileName()
                    + " is not a scene format vsa reads (PLY, compressed PLY, .splat, .spz, .ksplat, SOG, LOD set, glTF, GLB)");
        }
        return found;
    }
}
