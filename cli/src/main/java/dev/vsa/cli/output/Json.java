package dev.vsa.cli.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.PrintWriter;
import java.io.UncheckedIOException;

/**
 * {@code --json} output: one pretty-printed JSON document per invocation, fields in declaration order
 * (records in component order, maps in insertion order). NaN and infinities are written as strings.
 */
public final class Json {
    /** The shared, thread-safe mapper. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .build();

    private Json() {
    }

    /** Writes {@code value} as JSON and a newline. */
    public static void print(PrintWriter out, Object value) {
        out.println(toString(value));
        out.flush();
    }

    /** {@code value} as pretty-printed JSON. */
    public static String toString(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
