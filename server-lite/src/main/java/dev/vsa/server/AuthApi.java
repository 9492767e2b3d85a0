package dev.vsa.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vsa.processing.User;
import dev.vsa.processing.UserService;
import dev.vsa.server.auth.AttemptThrottle;
import dev.vsa.server.auth.Authenticator;
import dev.vsa.server.auth.LoginThrottle;
import dev.vsa.server.auth.PasswordHasher;
import dev.vsa.server.auth.TokenService;
import dev.vsa.server.http.ApiException;
import dev.vsa.server.http.JsonIo;
import io.javalin.http.Context;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** {@code /auth/*} and {@code /me}: accounts, passwords, access and refresh tokens. */
final class AuthApi {
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9_.-]{3,32}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+");
    /** A few of the most used passwords that pass the length rule; refused outright. */
    private static final Set<String> COMMON = Set.of("password", "password1", "12345678", "123456789",
            "1234567890", "qwertyuiop", "qwerty123", "11111111", "iloveyou", "abc12345", "passw0rd", "letmein1");

    private final UserService users;
    private final PasswordHasher hasher;
    private final TokenService tokens;
    private final LoginThrottle throttle;
    private final AttemptThrottle signups;
    private final int signupMaxPerAddress;
    private final Authenticator auth;
    private final JsonIo json;
    private final Duration refreshTtl;
    private final Clock clock;

    AuthApi(UserService users, PasswordHasher hasher, TokenService tokens, LoginThrottle throttle,
            AttemptThrottle signups, int signupMaxPerAddress, Authenticator auth, JsonIo json, Duration refreshTtl,
            Clock clock) {
        this.users = users;
        this.hasher = hasher;
        this.tokens = tokens;
        this.throttle = throttle;
        this.signups = signups;
        this.signupMaxPerAddress = signupMaxPerAddress;
        this.auth = auth;
        this.json = json;
        this.refreshTtl = refreshTtl;
        this.clock = clock;
    }

    void signup(Context ctx) {
        ObjectNode body = json.readObject(ctx);
        String username = JsonIo.requiredText(body, "username").trim();
        String email = JsonIo.requiredText(body, "email").trim();
        String password = JsonIo.requiredText(body, "password");
        if (!USERNAME.matcher(username).matches()) {
            throw ApiException.invalidField("username", "username must be 3 to 32 letters, digits, '_', '.' or '-'");
        }
        if (email.length() > 254 || !EMAIL.matcher(email).matches()) {
            throw ApiException.invalidField("email", "email is not an email address");
        }
        checkPassword(password, username, email);
        // Throttled per client address before anything costs: every signup that gets this far counts, taken
        // names included (probing names through signup is bounded like guessing passwords through login).
        AttemptThrottle.Attempt attempt;
        try {
            attempt = signups.tryAcquire(List.of(new AttemptThrottle.Limit("s:" + ctx.req().getRemoteAddr(),
                    signupMaxPerAddress)));
        } catch (AttemptThrottle.Refused e) {
            throw tooMany("too-many-signups", "Too many signups",
                    "too many signups from this address; try again in " + e.retryAfterSeconds() + " s", e);
        }
        // A taken name or email answers 409 without hashing. That opens no timing oracle: the 409 itself says the
        // name is taken, as it always did, and the throttle above bounds how fast names can be probed.
        if (users.findByUsername(username).isPresent()) {
            throw new dev.vsa.processing.DuplicateException("username");
        }
        if (users.findByEmail(email).isPresent()) {
            throw new dev.vsa.processing.DuplicateException("email");
        }
        String hash;
        try {
            hash = hasher.hash(password);
        } catch (PasswordHasher.Busy e) {
            attempt.release();
            throw busy(e);
        }
        // DuplicateException (a name or email taken meanwhile) becomes 409 naming the field.
        User user = users.create(username, email, hash);
        json.write(ctx, 201, userJson(user));
    }

    private static ApiException tooMany(String slug, String title, String detail, AttemptThrottle.Refused e) {
        return new ApiException(429, slug, title, detail, Map.of(),
                Map.of("Retry-After", Long.toString(e.retryAfterSeconds())));
    }

    /** The hashing pool and its short queue are full, or its CPU budget is spent: refused at once, not parked. */
    private static ApiException busy(PasswordHasher.Busy e) {
        return new ApiException(429, "busy", "Busy", "the server is busy checking passwords; try again in "
                + e.retryAfterSeconds() + " s", Map.of(), Map.of("Retry-After", Long.toString(e.retryAfterSeconds())));
    }

    private static void checkPassword(String password, String username, String email) {
        if (password.codePointCount(0, password.length()) < dev.vsa.processing.UserService.MIN_PASSWORD_LENGTH) {
            throw ApiException.invalidField("password", "password must be at least "
                    + dev.vsa.processing.UserService.MIN_PASSWORD_LENGTH + " characters");
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > PasswordHasher.MAX_PASSWORD_BYTES) {
            throw ApiException.invalidField("password", "password must be at most "
                    + PasswordHasher.MAX_PASSWORD_BYTES + " bytes (bcrypt ignores the rest)");
        }
        String lower = password.toLowerCase(Locale.ROOT);
        if (COMMON.contains(lower) || lower.equals(username.toLowerCase(Locale.ROOT))
                || lower.equals(email.toLowerCase(Locale.ROOT)) || password.chars().distinct().count() < 4) {
            throw ApiException.invalidField("password", "password is too easy to guess");
        }
    }

    void login(Context ctx) {
        json.write(ctx, 200, issue(checkCredentials(ctx)));
    }

    /** The user whose username and password the JSON body holds (throttled), else 401 or 429. */
    User checkCredentials(Context ctx) {
        ObjectNode body = json.readObject(ctx);
        String username = JsonIo.requiredText(body, "username").trim();
        String password = JsonIo.requiredText(body, "password");
        String address = ctx.req().getRemoteAddr();
        // The attempt is reserved (counted as a failure) before the hash: simultaneous guesses cannot all be
        // evaluated before the first one counts. The throttle keys the name as the lookup does (Usernames.key).
        LoginThrottle.Login attempt;
        try {
            attempt = throttle.tryAcquire(username, address);
        } catch (AttemptThrottle.Refused e) {
            throw tooMany("too-many-attempts", "Too many failed logins",
                    "too many failed (or simultaneous) logins; try again in " + e.retryAfterSeconds() + " s", e);
        }
        Optional<User> user = users.findByUsername(username);
        boolean ok;
        try {
            ok = hasher.verify(password, user.map(User::passwordHash).orElse(null));
        } catch (PasswordHasher.Busy e) {
            attempt.abandoned();
            throw busy(e);
        }
        if (!ok) {
            throw new ApiException(401, "invalid-credentials", "Invalid credentials",
                    "the username or the password is wrong");
        }
        attempt.succeeded();
        return user.get();
    }

    void refresh(Context ctx) {
        ObjectNode body = json.readObject(ctx);
        String old = JsonIo.requiredText(body, "refresh_token");
        // Rotation: each refresh token works once; a used or revoked one is refused (and, as possible theft,
        // processing then revokes every token of its user).
        User user = users.consumeRefreshToken(TokenService.hashRefreshToken(old))
                .flatMap(users::findById)
                .orElseThrow(() -> new ApiException(401, "invalid-refresh-token", "Invalid refresh token",
                        "the refresh token is invalid, expired or revoked: log in again"));
        json.write(ctx, 200, issue(user));
    }

    void logout(Context ctx) {
        ObjectNode body = json.readObject(ctx);
        String token = JsonIo.requiredText(body, "refresh_token");
        users.revokeRefreshToken(TokenService.hashRefreshToken(token));
        ctx.status(204);
    }

    void me(Context ctx) {
        json.write(ctx, 200, userJson(auth.requireAny(ctx)));
    }

    private ObjectNode issue(User user) {
        return tokensJson(user, newRefreshToken(user));
    }

    /** A new refresh token of {@code user}, stored (as its hash) with its expiry. */
    String newRefreshToken(User user) {
        String refresh = TokenService.newRefreshToken();
        users.storeRefreshToken(user.id(), TokenService.hashRefreshToken(refresh), clock.instant().plus(refreshTtl));
        return refresh;
    }

    private ObjectNode tokensJson(User user, String refresh) {
        ObjectNode o = json.object();
        o.put("access_token", tokens.issueAccess(user.id(), user.username()));
        o.put("token_type", "bearer");
        o.put("expires_in", tokens.accessTtl().toSeconds());
        o.put("refresh_token", refresh);
        o.put("refresh_expires_in", refreshTtl.toSeconds());
        return o;
    }

    JsonIo json() {
        return json;
    }

    /** The public view of a user: never the hash. */
    ObjectNode userJson(User user) {
        ObjectNode o = json.object();
        o.put("id", user.id().toString());
        o.put("username", user.username());
        o.put("email", user.email());
        o.put("created_at", user.createdAt() == null ? null : user.createdAt().toString());
        return o;
    }
}
