package dev.vsa.server.auth;

import dev.vsa.processing.Secrets;
import dev.vsa.server.http.ApiException;
import io.javalin.http.Context;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * The browser's session: tokens in cookies the page's scripts cannot read, so no token ever sits in a URL or in
 * script-reachable storage, and downloads and event streams authenticate like any other request.
 * <ul>
 *   <li>{@value #ACCESS}: the access token (HttpOnly, SameSite=Strict, path /, lives as long as the token);</li>
 *   <li>{@value #REFRESH}: the refresh token (HttpOnly, SameSite=Strict, sent only to {@code /auth/session});</li>
 *   <li>{@value #CSRF}: a random value the page reads and echoes in the {@value #CSRF_HEADER} header of every
 *       unsafe request (double submit: another site can make the browser send the cookie, not read it).</li>
 * </ul>
 * A request authenticated by the cookie must also pass the Origin check when it has an Origin header. Requests
 * with {@code Authorization: Bearer} (API clients) are not affected.
 */
public final class WebSession {
    public static final String ACCESS = "vsa_access";
    public static final String REFRESH = "vsa_refresh";
    public static final String CSRF = "vsa_csrf";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    static final String REFRESH_PATH = "/auth/session";

    private WebSession() {
    }

    /**
     * Sets the three cookies of a new (or refreshed) session.
     *
     * @param secure mark them Secure (HTTPS only) even when this request came over plain HTTP, as behind a proxy
     *               that ends TLS (the public URL is https); a request over HTTPS always gets Secure cookies
     */
    public static void start(Context ctx, String access, Duration accessTtl, String refresh, Duration refreshTtl,
                             boolean secure) {
        String csrf = Secrets.random256();
        set(ctx, ACCESS, access, "/", accessTtl.toSeconds(), true, secure);
        set(ctx, REFRESH, refresh, REFRESH_PATH, refreshTtl.toSeconds(), true, secure);
        set(ctx, CSRF, csrf, "/", refreshTtl.toSeconds(), false, secure);
    }

    /** Clears the session's cookies. */
    public static void end(Context ctx, boolean secure) {
        set(ctx, ACCESS, "", "/", 0, true, secure);
        set(ctx, REFRESH, "", REFRESH_PATH, 0, true, secure);
        set(ctx, CSRF, "", "/", 0, false, secure);
    }

    private static void set(Context ctx, String name, String value, String path, long maxAge, boolean httpOnly,
                            boolean secure) {
        StringBuilder c = new StringBuilder(name).append('=').append(value)
                .append("; Path=").append(path).append("; Max-Age=").append(maxAge).append("; SameSite=Strict");
        if (httpOnly) {
            c.append("; HttpOnly");
        }
        if (secure || "https".equals(ctx.scheme())) {
            c.append("; Secure");
        }
        ctx.res().addHeader("Set-Cookie", c.toString());
    }

    /**
     * Refuses a cookie-authenticated request another site could have made: an Origin other than this server's,
     * or, for an unsafe method, a missing or wrong {@value #CSRF_HEADER}.
     *
     * @throws ApiException 403 {@code csrf}
     */
    public static void checkCsrf(Context ctx) {
        checkOrigin(ctx);
        String method = ctx.method().name().toUpperCase(Locale.ROOT);
        if (method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS")) {
            return;
        }
        String cookie = ctx.cookie(CSRF);
        String header = ctx.header(CSRF_HEADER);
        if (cookie == null || cookie.isEmpty() || header == null
                || !MessageDigest.isEqual(cookie.getBytes(StandardCharsets.UTF_8), header.getBytes(StandardCharsets.UTF_8))) {
            throw forbidden("send the " + CSRF + " cookie's value in the " + CSRF_HEADER + " header");
        }
    }

    /**
     * A browser names the page that made a request in {@code Origin}; it must be this server (behind a proxy
     * the {@code Host} header the proxy forwards).
     *
     * @throws ApiException 403 {@code csrf}
     */
    public static void checkOrigin(Context ctx) {
        String origin = ctx.header("Origin");
        if (origin == null || origin.equals("null") && ctx.method().name().equals("GET")) {
            return;
        }
        String host = ctx.header("Host");
        String own = ctx.scheme() + "://" + host;
        if (host == null || !(origin.equalsIgnoreCase(own) || origin.equalsIgnoreCase("https://" + host))) {
            throw forbidden("cross-origin request from " + origin + " refused");
        }
    }

    private static ApiException forbidden(String detail) {
        return new ApiException(403, "csrf", "Cross-site request refused", detail, Map.of(), Map.of());
    }
}
