package dev.vsa.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vsa.core.gltf.resource.BoundedJson;
import io.javalin.http.Context;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/** Reads JSON request bodies (bounded) and writes JSON responses, with one mapper. */
public final class JsonIo {
    /** JSON bodies of this API are tiny; anything bigger is refused before parsing. */
    private static final int MAX_JSON_BYTES = 64 * 1024;

    private final ObjectMapper mapper;

    public JsonIo(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    public ObjectNode object() {
        return mapper.createObjectNode();
    }

    /** The body as a JSON object, or a 400/413/415 problem. */
    public ObjectNode readObject(Context ctx) {
        String type = ctx.contentType();
        if (type != null && !type.toLowerCase(Locale.ROOT).startsWith("application/json")
                && !type.toLowerCase(Locale.ROOT).contains("+json")) {
            throw new ApiException(415, "unsupported-media-type", "Unsupported media type",
                    "send the body as application/json, not " + type);
        }
        byte[] bytes;
        try (InputStream in = ctx.req().getInputStream()) {
            bytes = in.readNBytes(MAX_JSON_BYTES + 1);
        } catch (IOException e) {
            throw ApiException.badRequest("invalid-json", "cannot read the request body: " + e.getMessage());
        }
        if (bytes.length > MAX_JSON_BYTES) {
            throw new ApiException(413, "payload-too-large", "Payload too large",
                    "JSON bodies are limited to " + MAX_JSON_BYTES + " bytes");
        }
        return parseObject(bytes);
    }

    /** {@code bytes} as one JSON object and nothing after it, or a 400 problem. */
    ObjectNode parseObject(byte[] bytes) {
        try {
            // {"a":1}{"b":2} or {"a":1} junk is not one object: refused, not read as its first value
            JsonNode node = mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(bytes);
            if (node == null || !node.isObject()) {
                throw ApiException.badRequest("invalid-json", "the body must be a JSON object");
            }
            return (ObjectNode) node;
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("invalid-json", notValid("the body", e));
        } catch (IOException e) {
            throw ApiException.badRequest("invalid-json", "cannot read the request body: " + e.getMessage());
        }
    }

    /**
     * {@code "WHAT is not valid JSON at line L, column C: why"}, or {@code "WHAT is past a limit: why"} for JSON too
     * deep or too long to read: Jackson's refusal in vsa's words, one line.
     */
    public static String notValid(String what, JsonProcessingException e) {
        if (e instanceof StreamConstraintsException) {
            return what + " is past a limit: " + BoundedJson.message(e);
        }
        String at = BoundedJson.at(e);
        return what + " is not valid JSON" + (at == null ? "" : " at " + at) + ": " + BoundedJson.message(e);
    }

    /** A required non-blank string field, or 422 naming it. */
    public static String requiredText(ObjectNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            throw ApiException.invalidField(field, field + " is required");
        }
        if (!n.isTextual() || n.asText().isBlank()) {
            throw ApiException.invalidField(field, field + " must be a non-empty string");
        }
        return n.asText();
    }

    /** Writes {@code value} as JSON with {@code status}. */
    public void write(Context ctx, int status, Object value) {
        // Encoded straight to UTF-8 bytes (not a String encoded again). A trailing newline keeps curl output
        // readable in a terminal.
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try {
            mapper.writeValue(out, value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot render JSON", e);
        }
        out.write('\n');
        ctx.status(status).contentType("application/json").result(out.toByteArray());
    }

    public byte[] bytes(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render JSON", e);
        }
    }
}
