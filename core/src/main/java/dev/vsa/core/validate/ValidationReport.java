package dev.vsa.core.validate;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The result of {@link Validator#validate}: serialises with Jackson to the Khronos glTF-Validator's JSON
 * report shape ({@code uri, mimeType, validatorVersion, validatedAt, issues, info}).
 *
 * @param uri              the file name validated
 * @param mimeType         {@code model/gltf+json}, {@code model/gltf-binary}, a splat type, or null if unknown
 * @param validatorVersion {@code vsa <version>}
 * @param validatedAt      ISO-8601 UTC instant, or null (tests)
 * @param issues           the findings
 * @param info             what the file holds, or null when it could not be read far enough
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"uri", "mimeType", "validatorVersion", "validatedAt", "issues", "info"})
public record ValidationReport(String uri, String mimeType, String validatorVersion, String validatedAt,
                               Issues issues, Info info) {
    /**
     * @throws IllegalArgumentException if {@code issues} is null
     */
    public ValidationReport {
        if (issues == null) {
            throw new IllegalArgumentException("issues must not be null");
        }
    }

    /** True if no issue is {@code failOn} or more severe (e.g. {@code ERROR}: no errors). */
    public boolean isValid(Severity failOn) {
        for (Severity s : Severity.values()) {
            if (s.ordinal() <= failOn.ordinal() && issues.count(s) > 0) {
                return false;
            }
        }
        return true;
    }

    /** True if there is no error. */
    @JsonIgnore
    public boolean isValid() {
        return isValid(Severity.ERROR);
    }
}
