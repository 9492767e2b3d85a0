package dev.vsa.server.auth;

import dev.vsa.processing.User;
import dev.vsa.processing.UserService;
import dev.vsa.server.http.ApiException;
import io.javalin.http.Context;

import java.util.Locale;
import java.util.UUID;

/** Turns an {@code Authorization: Bearer} header into the signed-in user, or a 401. */
public final class Authenticator {
    private final TokenService tokens;
    private final UserService users;

    public Authenticator(TokenService tokens, UserService users) {
        this.tokens = tokens;
        this.users = users;
    }

    /**
     * The user the request's access token names.
     *
     * @throws ApiException 401 when the header is missing or the token is malformed, forged, expired, or names a
     *                      user that no longer exists (all with one message: no hint which)
     */
    public User require(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || header.isBlank()) {
            throw ApiException.unauthorized("send Authorization: Bearer <access_token> (from POST /auth/login)");
        }
        String[] parts = header.trim().split("\\s+", 2);
        if (parts.length != 2 || !parts[0].toLowerCase(Locale.ROOT).equals("bearer")) {
            throw ApiException.unauthorized("the Authorization header must be: Bearer <access_token>");
        }
        UUID id = tokens.verifyAccess(parts[1]).orElseThrow(Authenticator::invalid);
        return users.findById(id).orElseThrow(Authenticator::invalid);
    }

    private static ApiException invalid() {
        return ApiException.unauthorized("the access token is invalid or expired");
    }
}
