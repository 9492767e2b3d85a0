package dev.vsa.server.http;

import java.util.Map;

/**
 * An error the API reports as an RFC 9457 problem: a status, a stable {@code type} slug, a title and a detail.
 * Thrown from handlers; {@link Problems} renders it.
 */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String slug;
    private final String title;
    private final transient Map<String, Object> extra;
    private final transient Map<String, String> headers;

    public ApiException(int status, String slug, String title, String detail) {
        this(status, slug, title, detail, Map.of(), Map.of());
    }

    public ApiException(int status, String slug, String title, String detail, Map<String, Object> extra,
            Map<String, String> headers) {
        // No stack trace: it is an answer, never logged with one, and the refusals under load (429 busy, throttled)
        // are frequent enough that walking a request thread's deep stack for each one costs.
        super(detail, null, false, false);
        this.status = status;
        this.slug = slug;
        this.title = title;
        this.extra = Map.copyOf(extra);
        this.headers = Map.copyOf(headers);
    }

    public int status() {
        return status;
    }

    /** The stable last segment of the problem {@code type} URI, e.g. {@code not-found}. */
    public String slug() {
        return slug;
    }

    public String title() {
        return title;
    }

    /** Extension members added to the problem object (e.g. {@code field}). */
    public Map<String, Object> extra() {
        return extra;
    }

    /** Response headers to add (e.g. {@code Retry-After}). */
    public Map<String, String> headers() {
        return headers;
    }

    public static ApiException notFound(String what) {
        return new ApiException(404, "not-found", "Not found", what + " not found");
    }

    public static ApiException unauthorized(String detail) {
        return new ApiException(401, "unauthorized", "Unauthorized", detail, Map.of(),
                Map.of("WWW-Authenticate", "Bearer"));
    }

    public static ApiException badRequest(String slug, String detail) {
        return new ApiException(400, slug, "Bad request", detail);
    }

    /** 422 naming the field at fault. */
    public static ApiException invalidField(String field, String detail) {
        return new ApiException(422, "invalid-field", "Invalid field", detail, Map.of("field", field), Map.of());
    }
}
