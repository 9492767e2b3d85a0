package dev.vsa.core.validate;

import java.util.Map;
import java.util.Set;

/**
 * How to validate: an immutable record checked when built.
 *
 * <pre>{@code
 * ValidationOptions opts = ValidationOptions.defaults().withFailOn(Severity.WARNING);
 * }</pre>
 *
 * @param maxIssues          messages kept in the report (like Khronos {@code maxIssues}); 0 means no limit
 * @param ignoredCodes       codes dropped from the report entirely
 * @param severityOverrides  codes whose severity is changed
 * @param failOn             the lowest severity that makes {@link ValidationReport#isValid()} false
 */
public record ValidationOptions(int maxIssues, Set<String> ignoredCodes, Map<String, Severity> severityOverrides,
                                Severity failOn) {
    /** Messages kept by default, as the Khronos validator's command line. */
    public static final int DEFAULT_MAX_ISSUES = 100;

    /**
     * @throws IllegalArgumentException if {@code maxIssues} is negative or {@code failOn} is null
     */
    public ValidationOptions {
        if (maxIssues < 0) {
            throw new IllegalArgumentException("maxIssues must be >= 0 (0 = no limit), was " + maxIssues);
        }
        if (failOn == null) {
            throw new IllegalArgumentException("failOn must not be null");
        }
        ignoredCodes = ignoredCodes == null ? Set.of() : Set.copyOf(ignoredCodes);
        severityOverrides = severityOverrides == null ? Map.of() : Map.copyOf(severityOverrides);
    }

    /** 100 messages, nothing ignored or overridden, fail on errors. */
    public static ValidationOptions defaults() {
        return new ValidationOptions(DEFAULT_MAX_ISSUES, Set.of(), Map.of(), Severity.ERROR);
    }

    /** A copy with another message limit (0 = no limit). */
    public ValidationOptions withMaxIssues(int max) {
        return new ValidationOptions(max, ignoredCodes, severityOverrides, failOn);
    }

    /** A copy ignoring these codes. */
    public ValidationOptions withIgnoredCodes(Set<String> codes) {
        return new ValidationOptions(maxIssues, codes, severityOverrides, failOn);
    }

    /** A copy with these severity overrides. */
    public ValidationOptions withSeverityOverrides(Map<String, Severity> overrides) {
        return new ValidationOptions(maxIssues, ignoredCodes, overrides, failOn);
    }

    /** A copy failing on {@code severity} and worse. */
    public ValidationOptions withFailOn(Severity severity) {
        return new ValidationOptions(maxIssues, ignoredCodes, severityOverrides, severity);
    }
}
