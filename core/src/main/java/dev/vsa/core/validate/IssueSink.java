package dev.vsa.core.validate;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects the issues of one validation, applying the {@link ValidationOptions} (ignored codes, severity
 * overrides, message limit). Handed to each file-kind validator; not thread-safe.
 */
public final class IssueSink {
    private final ValidationOptions options;
    private final List<Issue> messages = new ArrayList<>();
    private final int[] counts = new int[4];
    private boolean truncated;

    /**
     * @throws IllegalArgumentException if {@code options} is null
     */
    public IssueSink(ValidationOptions options) {
        if (options == null) {
            throw new IllegalArgumentException("options must not be null");
        }
        this.options = options;
    }

    /** The options in force. */
    public ValidationOptions options() {
        return options;
    }

    /** Adds an issue at a JSON pointer (null: the whole file). */
    public void at(String pointer, String code, Severity severity, String message) {
        add(code, severity, message, pointer, null);
    }

    /** Adds an issue at a byte offset. */
    public void atByte(long offset, String code, Severity severity, String message) {
        add(code, severity, message, null, offset);
    }

    /**
     * Adds an issue; ignored codes are dropped, overridden ones change severity, and past
     * {@code maxIssues} only the counts grow.
     */
    public void add(String code, Severity severity, String message, String pointer, Long offset) {
        if (options.ignoredCodes().contains(code)) {
            return;
        }
        Severity s = options.severityOverrides().getOrDefault(code, severity);
        counts[s.ordinal()]++;
        if (options.maxIssues() == 0 || messages.size() < options.maxIssues()) {
            messages.add(new Issue(code, message, s, pointer, offset));
        } else {
            truncated = true;
        }
    }

    /**
     * Whether the message limit is reached: further issues are only counted, so a validator may skip building
     * their messages.
     */
    public boolean isFull() {
        return options.maxIssues() != 0 && messages.size() >= options.maxIssues();
    }

    /** Whether any issue of {@code severity} was added (after overrides). */
    public boolean has(Severity severity) {
        return counts[severity.ordinal()] > 0;
    }

    /** Number of issues added of {@code severity}. */
    public int count(Severity severity) {
        return counts[severity.ordinal()];
    }

    /** Marks the report truncated (e.g. a validator stopped early on hostile input). */
    public void markTruncated() {
        truncated = true;
    }

    /** The collected issues. */
    public Issues toIssues() {
        return new Issues(counts[0], counts[1], counts[2], counts[3], messages, truncated);
    }
}
