package dev.vsa.processing.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The one ObjectMapper of processing (thread-safe once configured). */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** Parses a jsonb column's text; null stays null. */
    public static JsonNode parse(String text) {
        if (text == null) {
            return null;
        }
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the database returned invalid JSON", e);
        }
    }

    /**
     * A jsonb column's text in the compact form Jackson writes: without the blanks PostgreSQL puts after ',' and
     * ':' (whitespace outside strings goes, the value is unchanged); null stays null. For text that is served as it
     * is instead of being parsed and written again.
     */
    public static String compact(String text) {
        if (text == null) {
            return null;
        }
        int n = text.length();
        char[] out = new char[n];
        int k = 0;
        boolean inString = false;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (inString) {
                out[k++] = c;
                if (c == '\\') {
                    out[k++] = text.charAt(++i); // an escaped character, '"' included, never ends the string
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c != ' ' && c != '\n' && c != '\t' && c != '\r') {
                out[k++] = c;
                inString = c == '"';
            }
        }
        return k == n ? text : new String(out, 0, k);
    }

    /** Serialises for a jsonb parameter; null stays null. */
    public static String write(Object value) {
        if (value == null) {
            return null;
        }
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }
}
