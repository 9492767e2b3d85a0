package dev.vsa.cli.remote;

/**
 * The server answered with an error: its status and, from the RFC 9457 problem body, the type slug and detail.
 */
public final class RemoteException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String type;
    private final String field;

    public RemoteException(int status, String type, String detail, String field) {
        super(detail);
        this.status = status;
        this.type = type;
        this.field = field;
    }

    /** HTTP status; 0 for "not logged in" found on this side. */
    public int status() {
        return status;
    }

    /** The problem type's last segment ({@code not-found}, {@code invalid-field}, ...), or null. */
    public String type() {
        return type;
    }

    /** The request field at fault, or null. */
    public String field() {
        return field;
    }
}
