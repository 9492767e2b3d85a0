package dev.vsa.processing;

import java.io.InputStream;
import java.net.URI;

/** How to deliver a scene file: a redirect to a presigned URL, or a stream the server copies out. */
public sealed interface FileDownload {
    /** The file as stored. */
    SceneFile file();

    /**
     * Send a redirect (S3): the URL serves the object directly, with range support, for a limited time.
     */
    record Redirect(SceneFile file, URI url) implements FileDownload {
    }

    /**
     * Stream it (local store). The caller closes {@code content}.
     *
     * @param offset first byte served
     * @param length bytes in {@code content}
     * @param total  size of the whole file (for {@code Content-Range})
     */
    record Stream(SceneFile file, InputStream content, long offset, long length, long total)
            implements FileDownload {
        /** True if this is part of the file (answer 206). */
        public boolean partial() {
            return offset != 0 || length != total;
        }
    }
}
