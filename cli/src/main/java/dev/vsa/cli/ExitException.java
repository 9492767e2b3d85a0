package dev.vsa.cli;

/**
 * A failure the user should see as one line and an exit code from {@link ExitCodes}, e.g.
 * {@code throw new ExitException(ExitCodes.IO, "cannot reach http://localhost:8080: connection refused")}.
 */
public final class ExitException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int code;

    /** @param code one of {@link ExitCodes}; @param message the line printed after {@code error: } */
    public ExitException(int code, String message) {
        this(code, message, null);
    }

    /** As {@link #ExitException(int, String)}, keeping the cause for {@code --stacktrace}. */
    public ExitException(int code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** The exit code. */
    public int code() {
        return code;
    }
}
