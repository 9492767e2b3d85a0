package dev.vsa.core.validate;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;

/**
 * The {@code issues} object of a report: counts per severity (of all issues found, also those past the
 * {@link ValidationOptions#maxIssues()} limit), the kept messages, and whether some were left out.
 *
 * @param numErrors   issues of severity {@link Severity#ERROR}
 * @param numWarnings issues of severity {@link Severity#WARNING}
 * @param numInfos    issues of severity {@link Severity#INFO}
 * @param numHints    issues of severity {@link Severity#HINT}
 * @param messages    the issues, in the order found (at most {@code maxIssues})
 * @param truncated   true if the validator stopped keeping or looking for issues at the limit
 */
@JsonPropertyOrder({"numErrors", "numWarnings", "numInfos", "numHints", "messages", "truncated"})
public record Issues(int numErrors, int numWarnings, int numInfos, int numHints, List<Issue> messages,
                     boolean truncated) {
    /** Copies {@code messages}; a null list is empty. */
    public Issues {
        messages = messages == null ? List.of() : List.copyOf(messages);
    }

    /** Number of issues of the given severity. */
    public int count(Severity severity) {
        return switch (severity) {
            case ERROR -> numErrors;
            case WARNING -> numWarnings;
            case INFO -> numInfos;
            case HINT -> numHints;
        };
    }
}
