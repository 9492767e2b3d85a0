package dev.vsa.core.validate;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How serious a validation issue is. The order and the numbers (0..3) are the Khronos glTF-Validator's, so a
 * report serialises exactly like its JSON: {@code "severity": 0} is an error.
 */
public enum Severity {
    /** The file breaks its specification; loaders may fail. */
    ERROR,
    /** Legal but likely wrong or harmful. */
    WARNING,
    /** Worth knowing (unused objects, unsupported extensions). */
    INFO,
    /** A possible improvement. */
    HINT;

    /** The Khronos number: 0 error, 1 warning, 2 info, 3 hint. */
    @JsonValue
    public int code() {
        return ordinal();
    }

    /**
     * The severity with a Khronos number.
     *
     * @throws IllegalArgumentException if {@code code} is not 0..3
     */
    @JsonCreator
    public static Severity ofCode(int code) {
        if (code < 0 || code > 3) {
            throw new IllegalArgumentException("severity code must be 0..3, was " + code);
        }
        return values()[code];
    }

    /**
     * The severity named {@code name}, case-insensitively; accepts {@code error|warning|info|information|hint}.
     *
     * @throws IllegalArgumentException for any other name
     */
    public static Severity parse(String name) {
        if (name == null) {
            throw new IllegalArgumentException("severity name must not be null");
        }
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "error", "0" -> ERROR;
            case "warning", "1" -> WARNING;
            case "info", "information", "2" -> INFO;
            case "hint", "3" -> HINT;
            default -> throw new IllegalArgumentException("unknown severity '" + name + "' (error, warning, info, hint)");
        };
    }
}
