package dev.vsa.core.error;

/**
 * The input is not what its format requires: truncated, inconsistent, hostile or simply not that format.
 *
 * <p>Carries a stable {@link ErrorCode} and where the problem is: a byte offset, an element index or a JSON
 * pointer (whichever applies; the others are absent). Caller misuse is reported with
 * {@link IllegalArgumentException} instead, and broken invariants of vsa itself with
 * {@link IllegalStateException}: three conditions, three exceptions.
 */
public class MalformedInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final String where;

    /**
     * @param code  stable code of the problem
     * @param where where it is, e.g. {@code "byte 1024"}, {@code "vertex 17"}, {@code "/accessors/3"}; may be null
     * @param message what is wrong, in one sentence, naming values
     */
    public MalformedInputException(ErrorCode code, String where, String message) {
        this(code, where, message, null);
    }

    /** As {@link #MalformedInputException(ErrorCode, String, String)}, keeping the low-level cause. */
    public MalformedInputException(ErrorCode code, String where, String message, Throwable cause) {
        super(message, cause);
        if (code == null) {
            throw new IllegalArgumentException("code must not be null");
        }
        this.code = code;
        this.where = where;
    }

    /** Shorthand for a problem at a byte offset. */
    public static MalformedInputException atByte(ErrorCode code, long offset, String message) {
        return new MalformedInputException(code, "byte " + offset, message);
    }

    /** The stable code. */
    public ErrorCode code() {
        return code;
    }

    /** Where the problem is, or null when it concerns the whole input. */
    public String where() {
        return where;
    }

    /** {@code CODE at WHERE: message}, the line the CLI prints. */
    @Override
    public String toString() {
        return code + (where == null ? "" : " at " + where) + ": " + getMessage();
    }
}
