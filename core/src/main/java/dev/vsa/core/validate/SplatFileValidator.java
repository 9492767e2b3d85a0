package dev.vsa.core.validate;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Validates one kind of splat file (PLY, compressed PLY, .splat, .spz, .ksplat). Implementations live in
 * {@code dev.vsa.core.validate.splat} and are listed in {@link dev.vsa.core.validate.splat.SplatValidators};
 * {@link Validator} asks them in order for any file that is not glTF/GLB.
 */
public interface SplatFileValidator {
    /**
     * Whether this validator recognises the file by its content (or, for formats without magic, by name).
     *
     * @param head     the first bytes (up to 4 KiB; fewer for a short file), position 0
     * @param fileSize the whole file's size
     * @param fileName the file's name
     */
    boolean accepts(ByteBuffer head, long fileSize, String fileName);

    /** The MIME type for the report, e.g. {@code application/x-ply}; may be null. */
    String mimeType();

    /**
     * Validates the file, adding every problem to {@code sink}; must not throw for bad content.
     *
     * @return what the file holds ({@link Info#ofSplats}), or null if it could not be read far enough
     * @throws IOException only if the file itself cannot be read
     */
    Info validate(Path file, IssueSink sink) throws IOException;
}
