package dev.vsa.processing;

/**
 * A job failed with a readable reason. Permanent failures (the input is invalid, the original is gone) end
 * the job at once; others are retried with backoff up to the job's attempt limit.
 */
public class JobFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final boolean permanent;

    public JobFailedException(String reason, boolean permanent, Throwable cause) {
        super(reason, cause);
        this.permanent = permanent;
    }

    public JobFailedException(String reason, boolean permanent) {
        this(reason, permanent, null);
    }

    public boolean permanent() {
        return permanent;
    }
}
