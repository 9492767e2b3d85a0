package dev.vsa.processing;

import java.io.InputStream;
import java.nio.file.Path;

/**
 * One file of an upload: the scene file itself, a resource a {@code .gltf} refers to, or one {@code .zip}
 * holding them all. Its bytes come either as a stream or as a file already on disk (an HTTP server that
 * spooled the part); exactly one of {@code content} and {@code file} is set.
 *
 * @param filename    the client's file name (may hold a relative path such as {@code textures/a.png};
 *                    cleaned, and used only as a display name and to resolve glTF URIs)
 * @param contentType the client's claimed type, or null (ignored for detection: content decides)
 * @param content     the bytes; read once, to its end; the caller closes it
 * @param file        a file holding the bytes; the service may move it away rather than copy it (put it
 *                    under {@link SceneService#stagingDirectory()} and that move is a rename); whatever is still
 *                    there afterwards is the caller's to delete
 */
public record UploadPart(String filename, String contentType, InputStream content, Path file) {
    /** @throws IllegalArgumentException if {@code filename} is null, or not exactly one of content and file is */
    public UploadPart {
        if (filename == null || (content == null) == (file == null)) {
            throw new IllegalArgumentException("filename and exactly one of content and file must be given");
        }
    }

    /** A part whose bytes are read from {@code content}. */
    public UploadPart(String filename, String contentType, InputStream content) {
        this(filename, contentType, content, null);
    }

    /** A part whose bytes are the file {@code file} (see {@link #file()}). */
    public static UploadPart ofFile(String filename, String contentType, Path file) {
        return new UploadPart(filename, contentType, null, file);
    }
}
