package dev.vsa.processing.storage;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Multipart uploads that clients feed straight to the store through presigned part URLs (S3's CreateMultipartUpload,
 * a presigned UploadPart per part, CompleteMultipartUpload, AbortMultipartUpload). The server opens and closes the
 * upload under a key it chose; only the part bodies travel from the client to the bucket. What an
 * {@link ObjectStore} offers through {@link ObjectStore#presignedMultipart()}; a local store offers none.
 *
 * <p>Thread-safe. Failures of the backend throw {@link IOException}.
 */
public interface PresignedMultipart {
    /** Smallest part S3 accepts, except for the last one. */
    long MIN_PART_SIZE = 5L << 20;
    /** Largest part S3 accepts. */
    long MAX_PART_SIZE = 5L << 30;
    /** Most parts one upload may have. */
    int MAX_PARTS = 10_000;

    /** A part as the client reports it after sending it: its number (1-based) and the ETag the store answered. */
    record PartTag(int number, String etag) {
    }

    /**
     * Opens a multipart upload to {@code key}.
     *
     * @return the store's upload id
     */
    String create(String key, String contentType) throws IOException;

    /**
     * A URL that accepts exactly one PUT of part {@code number} ({@code length} bytes) until {@code ttl} has passed.
     * The URL is signed for the store's endpoint with its addressing style, as the store's own client uses them.
     */
    URI presignPart(String key, String uploadId, int number, long length, Duration ttl) throws IOException;

    /**
     * Joins the parts into the object under {@code key}.
     *
     * @throws PartsRejectedException if the store refuses the list (a part never sent, an ETag that differs, a part
     *                                too small); the upload stays open
     */
    void complete(String key, String uploadId, List<PartTag> parts) throws IOException;

    /** Aborts the upload and frees its parts; an upload already gone is no error. */
    void abort(String key, String uploadId) throws IOException;

    /** The store refused a completion's part list; the message says which part and why. */
    final class PartsRejectedException extends IOException {
        private static final long serialVersionUID = 1L;

        public PartsRejectedException(String message) {
            super(message);
        }
    }
}
