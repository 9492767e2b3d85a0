package dev.vsa.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;

import java.util.LinkedHashMap;
import java.util.Map;

/** Renders errors as RFC 9457 {@code application/problem+json}. */
public final class Problems {
    /** Every problem {@code type} is this prefix plus a stable slug; the OpenAPI document lists the slugs. */
    public static final String TYPE_PREFIX = "https://vsa.dev/problems/";
    public static final String CONTENT_TYPE = "application/problem+json";

    /** Request attribute set once a problem is written, so status-code error pages leave it alone. */
    private static final String WRITTEN = "vsa.problem";

    private Problems() {
    }

    /** Whether a problem body was already written for this request. */
    public static boolean written(Context ctx) {
        return ctx.attribute(WRITTEN) != null;
    }

    public static void write(Context ctx, ObjectMapper json, ApiException e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", TYPE_PREFIX + e.slug());
        body.put("title", e.title());
        body.put("status", e.status());
        if (e.getMessage() != null) {
            body.put("detail", e.getMessage());
        }
        body.put("instance", ctx.path());
        body.putAll(e.extra());
        ctx.attribute(WRITTEN, Boolean.TRUE);
        e.headers().forEach(ctx::header);
        ctx.status(e.status());
        try {
            ctx.contentType(CONTENT_TYPE).result(json.writeValueAsString(body) + "\n");
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("cannot render a problem", ex);
        }
    }
}
