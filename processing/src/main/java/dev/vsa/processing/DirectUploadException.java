package dev.vsa.processing;

/**
 * A direct upload ({@link DirectUploads}) cannot go on; {@link #reason()} says why in a way a server maps to a status,
 * the message says it to a person. No scene was made.
 */
public final class DirectUploadException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why. */
    public enum Reason {
        /** The store takes no direct uploads (local storage): upload through the API instead. */
        UNAVAILABLE,
        /** The completion named too few parts, or parts the store does not have; the upload stays open. */
        INCOMPLETE,
        /** The joined object is not the size declared; it was deleted and the upload closed. */
        SIZE_MISMATCH,
        /** The joined object's SHA-256 is not the one declared; it was deleted and the upload closed. */
        CHECKSUM_MISMATCH,
        /** Another completion call is verifying this upload right now. */
        IN_PROGRESS,
        /** The upload was completed already (the scene exists); it cannot be aborted. */
        COMPLETED,
        /** The upload expired or is being aborted. */
        EXPIRED
    }

    private final Reason reason;

    public DirectUploadException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
