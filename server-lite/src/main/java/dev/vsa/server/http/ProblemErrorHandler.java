package dev.vsa.server.http;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Jetty's own error answers (a malformed request line or URI: 400, headers too large: 431, a body past Jetty's
 * limits: 413, ...) as {@code application/problem+json} like every other error of the API, instead of Jetty's
 * HTML page. Jetty writes these before any route runs, so they cannot go through the API's exception mapping.
 */
public final class ProblemErrorHandler extends ErrorHandler {
    /** For errors the HTTP parser finds (no request object exists yet). */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(new HttpField(HttpHeader.CONTENT_TYPE, Problems.CONTENT_TYPE));
        return ByteBuffer.wrap(body(status, reason, null).getBytes(StandardCharsets.UTF_8));
    }

    /** For errors Jetty answers on a parsed request (before or outside the API's routes). */
    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
            Callback callback) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problems.CONTENT_TYPE);
        response.write(true, ByteBuffer.wrap(body(code, message, request.getHttpURI().getPath())
                .getBytes(StandardCharsets.UTF_8)), callback);
    }

    /** The problem object for a status Jetty chose, with its reason as the detail. */
    static String body(int status, String reason, String instance) {
        String title = HttpStatus.getMessage(status);
        String detail = reason == null || reason.isBlank() ? title : reason;
        return "{\"type\":\"" + Problems.TYPE_PREFIX + slug(status, title) + "\",\"title\":" + quote(title)
                + ",\"status\":" + status + ",\"detail\":" + quote(detail)
                + (instance == null ? "" : ",\"instance\":" + quote(instance)) + "}\n";
    }

    /** The API's slugs where it has one for the status, else the status's reason phrase in kebab case. */
    private static String slug(int status, String title) {
        return switch (status) {
            case 400 -> "bad-request";
            case 413 -> "payload-too-large";
            case 500 -> "internal";
            default -> title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
        };
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
