package dev.vsa.processing;

import dev.vsa.core.error.ErrorCode;

/**
 * An upload was refused; nothing was stored. {@link #reason()} says why in a way a server maps to a status
 * (TOO_LARGE: 413; BUSY: 503; USER_BUSY: 429; the others: 415 or 422), the message says it to a person.
 */
public final class UploadRejectedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why an upload is refused. */
    public enum Reason {
        /** No parts, or an empty file. */
        EMPTY,
        /** Past {@link ProcessingConfig#maxUploadBytes()} (or a zip that unpacks past it). */
        TOO_LARGE,
        /** The content is no format vsa reads. */
        UNSUPPORTED_FORMAT,
        /** A zip that is corrupt, nests too deep, has too many entries or unsafe names. */
        BAD_ARCHIVE,
        /** Several parts but not exactly one scene file among them, or a bad file name. */
        BAD_PARTS,
        /** As many uploads as allowed are in progress ({@link Limits#uploadMaxConcurrent()}): try again shortly. */
        BUSY,
        /** As many uploads of this account as allowed are in progress ({@link Limits#uploadMaxConcurrentPerUser()}): 429. */
        USER_BUSY,
        /** It does not fit in what is left of the owner's storage quota ({@link Limits#userMaxBytes()}). */
        QUOTA,
        /** The owner has as many scenes as allowed ({@link Limits#userMaxScenes()}). */
        SCENE_LIMIT
    }

    private final Reason reason;
    private final ErrorCode code;

    public UploadRejectedException(Reason reason, ErrorCode code, String message) {
        super(message);
        this.reason = reason;
        this.code = code;
    }

    public Reason reason() {
        return reason;
    }

    /** The core error code behind it (e.g. {@code UNKNOWN_FORMAT}), or null. */
    public ErrorCode code() {
        return code;
    }
}
