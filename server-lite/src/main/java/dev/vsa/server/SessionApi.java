package dev.vsa.server;

import dev.vsa.processing.User;
import dev.vsa.processing.UserService;
import dev.vsa.server.auth.TokenService;
import dev.vsa.server.auth.WebSession;
import dev.vsa.server.http.ApiException;
import io.javalin.http.Context;

import java.time.Duration;

/**
 * {@code /auth/session}: the web page's sign-in, with the tokens in cookies ({@link WebSession}) instead of the
 * response body. Same credentials, throttling and refresh-token rotation as {@code /auth/login} and
 * {@code /auth/refresh}.
 */
final class SessionApi {
    private final AuthApi authApi;
    private final UserService users;
    private final TokenService tokens;
    private final Duration refreshTtl;
    private final boolean secure;

    /** @param publicUrl the server's public URL or null; an https one makes the cookies Secure */
    SessionApi(AuthApi authApi, UserService users, TokenService tokens, Duration refreshTtl, String publicUrl) {
        this.authApi = authApi;
        this.users = users;
        this.tokens = tokens;
        this.refreshTtl = refreshTtl;
        this.secure = publicUrl != null && publicUrl.toLowerCase(java.util.Locale.ROOT).startsWith("https:");
    }

    /** Sign in: the session's cookies and the user. */
    void create(Context ctx) {
        WebSession.checkOrigin(ctx); // no session yet to hold a CSRF token: a foreign page may not sign anyone in
        User user = authApi.checkCredentials(ctx);
        start(ctx, user);
        authApi.json().write(ctx, 200, authApi.userJson(user));
    }

    /** A new access token (and a rotated refresh token) from the refresh cookie. */
    void refresh(Context ctx) {
        WebSession.checkCsrf(ctx);
        String old = ctx.cookie(WebSession.REFRESH);
        User user = (old == null || old.isEmpty() ? java.util.Optional.<java.util.UUID>empty()
                : users.consumeRefreshToken(TokenService.hashRefreshToken(old)))
                .flatMap(users::findById)
                .orElseThrow(() -> {
                    WebSession.end(ctx, secure);
                    return new ApiException(401, "invalid-refresh-token", "Invalid refresh token",
                            "the session has ended: sign in again");
                });
        start(ctx, user);
        authApi.json().write(ctx, 200, authApi.userJson(user));
    }

    /** Sign out: the refresh token revoked, the cookies cleared. */
    void delete(Context ctx) {
        WebSession.checkCsrf(ctx);
        String token = ctx.cookie(WebSession.REFRESH);
        if (token != null && !token.isEmpty()) {
            users.revokeRefreshToken(TokenService.hashRefreshToken(token));
        }
        WebSession.end(ctx, secure);
        ctx.status(204);
    }

    private void start(Context ctx, User user) {
        WebSession.start(ctx, tokens.issueAccess(user.id(), user.username()), tokens.accessTtl(),
                authApi.newRefreshToken(user), refreshTtl, secure);
    }
}
