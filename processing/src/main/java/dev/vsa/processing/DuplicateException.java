package dev.vsa.processing;

/** A unique value is already taken, e.g. a username. {@link #field()} says which. */
public final class DuplicateException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String field;

    public DuplicateException(String field) {
        super(field + " is already taken");
        this.field = field;
    }

    /** The field whose value is taken: {@code username} or {@code email}. */
    public String field() {
        return field;
    }
}
