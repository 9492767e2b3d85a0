package dev.vsa.processing.storage;

import dev.vsa.processing.StorageConfig;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A flat store of private objects under string keys ({@code scenes/{sceneId}/original/0}): a local directory
 * or an S3 bucket. Keys are made from ids only, never from user file names. Puts and gets stream in constant
 * memory; a put either stores the whole object or nothing (a failed or aborted stream leaves no object).
 *
 * <p>Thread-safe. Every method may throw {@link IOException} when the backend is unreachable or refuses;
 * {@link ObjectNotFoundException} (an {@code IOException}) when a key is missing.
 */
public interface ObjectStore extends AutoCloseable {
    /** What {@link #checkKey} accepts. */
    java.util.regex.Pattern KEY = java.util.regex.Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*");

    /**
     * Stores {@code in} (read to its end, not closed) under {@code key}, replacing any object there.
     *
     * @param length the number of bytes if known, or -1
     * @return the number of bytes stored
     * @throws IOException if reading {@code in} or writing fails; nothing is then stored under {@code key}
     */
    long put(String key, InputStream in, long length, String contentType) throws IOException;

    /** Stores a file under {@code key}. */
    default long put(String key, Path file, String contentType) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return put(key, in, Files.size(file), contentType);
        }
    }

    /**
     * Stores a file the caller gives up: afterwards {@code file} may be gone (a local store on the same file
     * system renames it into place instead of copying: an upload is then written to disk once). Otherwise as
     * {@link #put(String, Path, String)}; the caller deletes {@code file} if it is still there.
     */
    default long putConsuming(String key, Path file, String contentType) throws IOException {
        return put(key, file, contentType);
    }

    /**
     * A directory on the file system this store keeps its objects on, where a file meant for
     * {@link #putConsuming} can be written so that the put is a rename; empty if the store is not on local disk.
     */
    default Optional<Path> scratchDirectory() {
        return Optional.empty();
    }

    /** Opens the whole object. The caller closes the stream. */
    default InputStream get(String key) throws IOException {
        return get(key, 0, -1);
    }

    /**
     * Opens {@code length} bytes of the object from {@code offset} (a range request).
     *
     * @param length bytes wanted, or -1 for all to the end; a range past the end is cut at the end
     * @throws IllegalArgumentException if {@code offset < 0} or {@code length < -1}
     * @throws ObjectNotFoundException if there is no such object
     */
    InputStream get(String key, long offset, long length) throws IOException;

    /** Size and content type of an object, or empty if there is none. */
    Optional<ObjectInfo> stat(String key) throws IOException;

    /** Deletes an object; a missing one is not an error. */
    void delete(String key) throws IOException;

    /** Keys that start with {@code prefix}, in key order. */
    List<String> list(String prefix) throws IOException;

    /** Deletes every object whose key starts with {@code prefix}. */
    default void deletePrefix(String prefix) throws IOException {
        for (String k : list(prefix)) {
            delete(k);
        }
    }

    /**
     * A URL a client may GET the object from directly, valid for {@code ttl}, or empty when the backend
     * serves no URLs (the local store: stream it with {@link #get(String, long, long)}).
     *
     * @param downloadName file name to suggest to the browser (Content-Disposition), or null
     */
    Optional<URI> presignGet(String key, Duration ttl, String downloadName) throws IOException;

    /**
     * Multipart uploads clients send straight to the store through presigned part URLs, or empty when the backend
     * has none (the local store: uploads go through the API).
     */
    default Optional<PresignedMultipart> presignedMultipart() {
        return Optional.empty();
    }

    /** Releases clients and connections. */
    @Override
    void close();

    /**
     * Opens the store a configuration names.
     *
     * @throws IOException if a local directory cannot be created
     */
    static ObjectStore open(StorageConfig config) throws IOException {
        return switch (config.type()) {
            case LOCAL -> new LocalObjectStore(config.localDir());
            case S3 -> new S3ObjectStore(config);
        };
    }

    /**
     * Checks a key: segments of {@code [A-Za-z0-9._-]} that do not start with a dot, separated by {@code /},
     * at most 512 characters.
     *
     * @throws IllegalArgumentException naming the key otherwise
     */
    static String checkKey(String key) {
        if (key == null || key.isEmpty() || key.length() > 512 || !KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("bad object key: '" + key + "'");
        }
        return key;
    }
}
