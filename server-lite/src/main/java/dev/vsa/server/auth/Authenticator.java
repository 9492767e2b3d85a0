package dev.vsa.server.auth;

import dev.vsa.processing.ApiTokenService;
import dev.vsa.processing.Scope;
import dev.vsa.processing.TokenOwner;
import dev.vsa.processing.User;
import dev.vsa.processing.UserService;
import dev.vsa.server.http.ApiException;
import io.javalin.http.Context;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Turns an {@code Authorization: Bearer} header (or else the web page's session cookie, {@link WebSession}, with
 * its cross-site checks: a password session) into the signed-in user, or a 401/403. The bearer is either an
 * access token of a password session (every scope) or a personal access token ({@code vsa_pat_...}) with the
 * scopes its owner gave it.
 */
public final class Authenticator {
    private final TokenService tokens;
    private final UserService users;
    private final ApiTokenService apiTokens;

    public Authenticator(TokenService tokens, UserService users, ApiTokenService apiTokens) {
        this.tokens = tokens;
        this.users = users;
        this.apiTokens = apiTokens;
    }

    /** Who sent a request, and what the credential allows. */
    private record Principal(User user, Set<Scope> scopes, boolean session) {
    }

    /**
     * The user, if the credential allows {@code scope}.
     *
     * @throws ApiException 401 when the header is missing or the token is malformed, forged, expired, revoked or
     *                      names a user that no longer exists (one message for all); 403 when a personal access
     *                      token lacks the scope
     */
    public User require(Context ctx, Scope scope) {
        Principal p = principal(ctx);
        if (!p.scopes.contains(scope)) {
            throw forbidden("this token lacks the scope " + scope.id() + " (it has " + ids(p.scopes) + ")");
        }
        return p.user;
    }

    /**
     * The user, for routes that name no scope: a password session, or a personal access token holding every
     * scope (so a narrow token never reaches a route that forgot to declare one).
     *
     * @throws ApiException 401 as {@link #require(Context, Scope)}; 403 for a token without every scope
     */
    public User require(Context ctx) {
        Principal p = principal(ctx);
        if (!p.session && !p.scopes.containsAll(EnumSet.allOf(Scope.class))) {
            throw forbidden("this route needs a password session or a token with every scope");
        }
        return p.user;
    }

    /** The user behind any valid credential, whatever its scopes ({@code /me}). */
    public User requireAny(Context ctx) {
        return principal(ctx).user;
    }

    /**
     * The user of a password session: managing tokens is not something a token may do, so a leaked token
     * cannot mint others or hide itself.
     */
    public User requireSession(Context ctx) {
        Principal p = principal(ctx);
        if (!p.session) {
            throw forbidden("sign in with a password to manage tokens (a personal access token cannot)");
        }
        return p.user;
    }

    private Principal principal(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || header.isBlank()) {
            String cookie = ctx.cookie(WebSession.ACCESS);
            if (cookie != null && !cookie.isEmpty()) {
                WebSession.checkCsrf(ctx);
                UUID id = tokens.verifyAccess(cookie).orElseThrow(Authenticator::invalid);
                User user = users.findSignedIn(id).orElseThrow(Authenticator::invalid);
                return new Principal(user, EnumSet.allOf(Scope.class), true);
            }
            throw ApiException.unauthorized("send Authorization: Bearer <access_token> (from POST /auth/login) "
                    + "or Bearer <personal access token>");
        }
        String[] parts = header.trim().split("\\s+", 2);
        if (parts.length != 2 || !parts[0].toLowerCase(Locale.ROOT).equals("bearer")) {
            throw ApiException.unauthorized("the Authorization header must be: Bearer <token>");
        }
        if (parts[1].startsWith(ApiTokenService.PREFIX)) {
            TokenOwner owner = apiTokens.authenticate(parts[1]).orElseThrow(Authenticator::invalid);
            return new Principal(owner.user(), owner.scopes(), false);
        }
        UUID id = tokens.verifyAccess(parts[1]).orElseThrow(Authenticator::invalid);
        User user = users.findSignedIn(id).orElseThrow(Authenticator::invalid);
        return new Principal(user, EnumSet.allOf(Scope.class), true);
    }

    private static String ids(Set<Scope> scopes) {
        return scopes.stream().map(Scope::id).sorted().toList().toString();
    }

    private static ApiException forbidden(String detail) {
        return new ApiException(403, "insufficient-scope", "Forbidden", detail, Map.of(), Map.of());
    }

    private static ApiException invalid() {
        return ApiException.unauthorized("the token is invalid, expired or revoked");
    }
}
