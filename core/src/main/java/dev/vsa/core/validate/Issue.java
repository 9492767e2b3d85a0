package dev.vsa.core.validate;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One finding of a validation, shaped like an entry of the Khronos glTF-Validator's {@code messages}.
 *
 * @param code     stable code, e.g. {@code ACCESSOR_TOO_LONG} (the Khronos code where one exists)
 * @param message  one sentence naming the values involved
 * @param severity how serious it is
 * @param pointer  JSON pointer of the offending property ({@code /accessors/0/byteOffset}), or null
 * @param offset   byte offset in the file (binary problems), or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"code", "message", "severity", "pointer", "offset"})
public record Issue(String code, String message, Severity severity, String pointer, Long offset) {
    /**
     * @throws IllegalArgumentException if code, message or severity is null
     */
    public Issue {
        if (code == null || message == null || severity == null) {
            throw new IllegalArgumentException("code, message and severity must not be null");
        }
    }

    /**
     * {@code SEVERITY CODE at WHERE: message}, one line for humans; no {@code at} for an issue about the whole
     * document (pointer {@code ""} and no offset).
     */
    @Override
    public String toString() {
        String where = pointer != null && !pointer.isEmpty() ? " at " + pointer
                : offset != null ? " at byte " + offset : "";
        return severity + " " + code + where + ": " + message;
    }
}
