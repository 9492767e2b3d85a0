package dev.vsa.processing;

/** A request's value is unacceptable (a webhook URL to a private address, an unknown event type); names the field. */
public final class InvalidRequestException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String field;

    public InvalidRequestException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The request field at fault, e.g. {@code url}. */
    public String field() {
        return field;
    }
}
