package dev.vsa.processing.resumable;

/** A request a resumable upload cannot take, by reason; the API answers each with its own status. */
public final class ResumableUploadException extends RuntimeException {
    /** Why the request was refused. */
    public enum Reason {
        /** The request's offset is not the upload's (409); {@link #offset()} is the upload's. */
        OFFSET_MISMATCH,
        /** Another request is appending to this upload right now (423). */
        LOCKED,
        /** The piece's checksum does not match its bytes, or the whole file's SHA-256 does not match (460). */
        CHECKSUM_MISMATCH,
        /** The piece carries more bytes than the upload declared (413). */
        PAST_LENGTH,
        /** The owner has as many unfinished uploads as allowed (429). */
        TOO_MANY_OPEN,
        /** The upload was deleted or expired while a piece arrived (404). */
        GONE,
        /** The upload was sent with an {@code Idempotency-Key} of another upload of another length (422). */
        KEY_REUSED
    }

    private final Reason reason;
    private final long offset;

    public ResumableUploadException(Reason reason, long offset, String message) {
        super(message);
        this.reason = reason;
        this.offset = offset;
    }

    public Reason reason() {
        return reason;
    }

    /** The upload's offset at the time of the refusal (-1 if unknown). */
    public long offset() {
        return offset;
    }
}
