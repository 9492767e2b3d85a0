package dev.vsa.processing;

import java.io.InputStream;

/**
 * One file of an upload: the scene file itself, a resource a {@code .gltf} refers to, or one {@code .zip}
 * holding them all.
 *
 * @param filename    the client's file name (may hold a relative path such as {@code textures/a.png};
 *                    cleaned, and used only as a display name and to resolve glTF URIs)
 * @param contentType the client's claimed type, or null (ignored for detection: content decides)
 * @param content     the bytes; read once, to its end; the caller closes it
 */
public record UploadPart(String filename, String contentType, InputStream content) {
    /** @throws IllegalArgumentException if {@code filename} or {@code content} is null */
    public UploadPart {
        if (filename == null || content == null) {
            throw new IllegalArgumentException("filename and content must not be null");
        }
    }
}
