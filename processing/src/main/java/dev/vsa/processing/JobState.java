package dev.vsa.processing;

import java.util.Locale;

/** queued -> running -> succeeded | failed | cancelled (running -> queued again on a retry). */
public enum JobState {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    /** The lower-case name used in the database and JSON. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True for succeeded, failed and cancelled: nothing will change any more. */
    public boolean terminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }

    static JobState of(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }
}
