package dev.vsa.processing;

/**
 * The database or object storage failed (unreachable, timed out, refused). Transient by nature: the server
 * answers 503, the CLI exits 3, a worker retries.
 */
public class ProcessingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ProcessingException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A failed database call, named as such (every service maps its SQLExceptions through this). */
    public static ProcessingException database(java.sql.SQLException e) {
        return new ProcessingException("database error: " + e.getMessage(), e);
    }
}
