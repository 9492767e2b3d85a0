package dev.vsa.processing;

/** Unwinds a running job: it was cancelled, its lease was lost, or its worker is shutting down. */
public final class JobStoppedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why a job stopped. */
    public enum Why { CANCELLED, LEASE_LOST, SHUTDOWN }

    private final Why why;

    public JobStoppedException(Why why) {
        super("job stopped: " + why.name().toLowerCase(java.util.Locale.ROOT));
        this.why = why;
    }

    public Why why() {
        return why;
    }
}
