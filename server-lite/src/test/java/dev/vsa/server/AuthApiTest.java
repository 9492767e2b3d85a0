package dev.vsa.server;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.JsonNode;
import dev.vsa.processing.User;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static dev.vsa.server.TestStack.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /auth/* and /me over real HTTP, and every token attack the brief lists. */
class AuthApiTest {
    private final TestStack stack = TestStack.shared();

    @Test
    void signup_valid_201WithUserAndNoHash() throws Exception {
        String name = TestStack.newName("ada");
        HttpResponse<String> r = stack.postJson("/auth/signup",
                Map.of("username", name, "password", "a long passphrase", "email", name + "@example.com"), null);
        assertEquals(201, r.statusCode(), r.body());
        JsonNode u = JSON.readTree(r.body());
        assertEquals(name, u.path("username").asText());
        assertEquals(name + "@example.com", u.path("email").asText());
        assertFalse(u.path("id").asText().isEmpty());
        assertFalse(r.body().contains("$2"), "no bcrypt hash in " + r.body());
        assertFalse(r.body().toLowerCase().contains("hash"), r.body());
    }

    @ParameterizedTest
    @ValueSource(strings = {"username", "email"})
    void signup_duplicate_409NamingField(String field) throws Exception {
        TestStack.Account a = stack.newAccount("dup");
        String other = TestStack.newName("other");
        Map<String, Object> body = new HashMap<>(Map.of("username", other, "password", "a long passphrase",
                "email", other + "@example.com"));
        body.put(field, field.equals("username") ? a.username().toUpperCase() : a.username() + "@example.com");
        HttpResponse<String> r = stack.postJson("/auth/signup", body, null);
        assertEquals(409, r.statusCode(), r.body());
        assertProblem(r, "duplicate");
        assertEquals(field, JSON.readTree(r.body()).path("field").asText());
    }

    static Stream<Arguments> badSignups() {
        return Stream.of(
                Arguments.of("username", null), Arguments.of("password", null), Arguments.of("email", null),
                Arguments.of("username", "a"), Arguments.of("username", "has space"),
                Arguments.of("email", "not-an-email"), Arguments.of("password", "short"),
                Arguments.of("password", "password"), Arguments.of("password", "aaaaaaaaaaaa"),
                Arguments.of("password", "x".repeat(73)));
    }

    @ParameterizedTest
    @MethodSource("badSignups")
    void signup_missingOrWeakField_422NamingField(String field, String value) throws Exception {
        String name = TestStack.newName("weak");
        Map<String, Object> body = new HashMap<>(Map.of("username", name, "password", "a long passphrase",
                "email", name + "@example.com"));
        if (value == null) {
            body.remove(field);
        } else {
            body.put(field, value);
        }
        HttpResponse<String> r = stack.postJson("/auth/signup", body, null);
        assertEquals(422, r.statusCode(), r.body());
        assertProblem(r, "invalid-field");
        assertEquals(field, JSON.readTree(r.body()).path("field").asText());
    }

    @Test
    void signup_notJson_400() throws Exception {
        HttpResponse<String> r = stack.http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(stack.url("/auth/signup"))).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{nope")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, r.statusCode());
        assertProblem(r, "invalid-json");
        // an object left open: Jackson's own message names its source ("[Source: REDACTED ..."); vsa's says where
        HttpResponse<String> open = stack.http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(stack.url("/auth/signup"))).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"username\": \"a\",\n")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, open.statusCode());
        String detail = JSON.readTree(open.body()).path("detail").asText();
        assertFalse(detail.contains("[Source") || detail.contains("REDACTED") || detail.contains("\n"), detail);
        assertTrue(detail.contains("at line 2, column 1"), detail);
    }

    @Test
    void login_valid_tokensOfTheDocumentedShape() throws Exception {
        TestStack.Account a = stack.newAccount("login");
        HttpResponse<String> r = stack.postJson("/auth/login", Map.of("username", a.username(), "password", a.password()), null);
        assertEquals(200, r.statusCode());
        JsonNode t = JSON.readTree(r.body());
        assertEquals("bearer", t.path("token_type").asText());
        assertEquals(900, t.path("expires_in").asInt());
        assertFalse(t.path("access_token").asText().isEmpty());
        assertFalse(t.path("refresh_token").asText().isEmpty());
        HttpResponse<String> me = stack.get("/me", "Bearer " + t.path("access_token").asText());
        assertEquals(200, me.statusCode());
        assertEquals(a.username(), JSON.readTree(me.body()).path("username").asText());
    }

    @Test
    void login_wrongPasswordOrUnknownUser_401WithTheSameAnswer() throws Exception {
        TestStack.Account a = stack.newAccount("wrong");
        HttpResponse<String> badPw = stack.postJson("/auth/login", Map.of("username", a.username(), "password", "wrong password"), null);
        HttpResponse<String> noUser = stack.postJson("/auth/login", Map.of("username", a.username() + "x", "password", a.password()), null);
        assertEquals(401, badPw.statusCode());
        assertEquals(401, noUser.statusCode());
        assertEquals(JSON.readTree(badPw.body()).path("detail"), JSON.readTree(noUser.body()).path("detail"));
        assertProblem(badPw, "invalid-credentials");
    }

    @Test
    void login_repeatedFailures_429WithRetryAfter() throws Exception {
        TestStack.Account a = stack.newAccount("throttle");
        for (int i = 0; i < stack.config.loginMaxPerUser(); i++) {
            assertEquals(401, stack.postJson("/auth/login", Map.of("username", a.username(), "password", "nope nope"), null).statusCode());
        }
        // Even the right password is refused while throttled: no oracle.
        HttpResponse<String> r = stack.postJson("/auth/login", Map.of("username", a.username(), "password", a.password()), null);
        assertEquals(429, r.statusCode());
        assertProblem(r, "too-many-attempts");
        long retry = Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retry > 0 && retry <= stack.config.loginWindow().toSeconds(), "Retry-After " + retry);
    }

    @Test
    void refresh_rotates_andTheOldTokenIsRefused() throws Exception {
        TestStack.Account a = stack.newAccount("refresh");
        HttpResponse<String> r = stack.postJson("/auth/refresh", Map.of("refresh_token", a.refresh()), null);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode t = JSON.readTree(r.body());
        assertNotEquals(a.refresh(), t.path("refresh_token").asText());
        assertEquals(200, stack.get("/me", "Bearer " + t.path("access_token").asText()).statusCode());
        HttpResponse<String> again = stack.postJson("/auth/refresh", Map.of("refresh_token", a.refresh()), null);
        assertEquals(401, again.statusCode());
        assertProblem(again, "invalid-refresh-token");
        // Reuse of a rotated token revokes the whole family: the new one is dead too.
        assertEquals(401, stack.postJson("/auth/refresh", Map.of("refresh_token", t.path("refresh_token").asText()), null).statusCode());
    }

    @Test
    void logout_revokesTheRefreshToken() throws Exception {
        TestStack.Account a = stack.newAccount("logout");
        assertEquals(204, stack.postJson("/auth/logout", Map.of("refresh_token", a.refresh()), null).statusCode());
        assertEquals(401, stack.postJson("/auth/refresh", Map.of("refresh_token", a.refresh()), null).statusCode());
    }

    static Stream<Arguments> attacks() {
        return Stream.of("missing", "not-bearer", "garbage", "alg-none", "tampered-payload", "tampered-signature",
                "expired", "wrong-issuer", "wrong-audience", "wrong-secret", "deleted-user").map(Arguments::of);
    }

    @ParameterizedTest
    @MethodSource("attacks")
    void me_badToken_401(String attack) throws Exception {
        TestStack.Account a = stack.newAccount("victim");
        TestStack.Account other = stack.newAccount("other");
        Algorithm right = Algorithm.HMAC256(TestStack.JWT_SECRET.getBytes(StandardCharsets.UTF_8));
        Instant now = Instant.now();
        String header = switch (attack) {
            case "missing" -> null;
            case "not-bearer" -> "Basic " + Base64.getEncoder().encodeToString("a:b".getBytes(StandardCharsets.UTF_8));
            case "garbage" -> "Bearer not.a.jwt";
            case "alg-none" -> {
                Base64.Encoder e = Base64.getUrlEncoder().withoutPadding();
                String h = e.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
                String p = e.encodeToString(("{\"iss\":\"vsa\",\"aud\":\"vsa-api\",\"sub\":\"" + a.id() + "\",\"exp\":"
                        + (now.getEpochSecond() + 600) + "}").getBytes(StandardCharsets.UTF_8));
                yield "Bearer " + h + "." + p + ".";
            }
            case "tampered-payload" -> {
                // a's signature over other's claims
                String[] mine = a.access().split("\\.");
                String[] theirs = other.access().split("\\.");
                yield "Bearer " + mine[0] + "." + theirs[1] + "." + mine[2];
            }
            case "tampered-signature" -> {
                String t = a.access();
                char last = t.charAt(t.length() - 2);
                yield "Bearer " + t.substring(0, t.length() - 2) + (last == 'A' ? 'B' : 'A') + t.charAt(t.length() - 1);
            }
            case "expired" -> "Bearer " + JWT.create().withIssuer("vsa").withAudience("vsa-api").withSubject(a.id())
                    .withIssuedAt(now.minusSeconds(1000)).withExpiresAt(now.minusSeconds(60)).sign(right);
            case "wrong-issuer" -> "Bearer " + JWT.create().withIssuer("evil").withAudience("vsa-api").withSubject(a.id())
                    .withExpiresAt(now.plusSeconds(600)).sign(right);
            case "wrong-audience" -> "Bearer " + JWT.create().withIssuer("vsa").withAudience("other").withSubject(a.id())
                    .withExpiresAt(now.plusSeconds(600)).sign(right);
            case "wrong-secret" -> "Bearer " + JWT.create().withIssuer("vsa").withAudience("vsa-api").withSubject(a.id())
                    .withExpiresAt(now.plusSeconds(600)).sign(Algorithm.HMAC256("another-secret-another-secret-another-secret"));
            case "deleted-user" -> {
                // Signed in just before: the server remembers who a token names, and must forget at the deletion.
                assertEquals(200, stack.get("/me", a.bearer()).statusCode());
                assertTrue(stack.processing.users().delete(UUID.fromString(a.id())));
                yield a.bearer();
            }
            default -> throw new IllegalArgumentException(attack);
        };
        HttpResponse<String> r = stack.get("/me", header);
        assertEquals(401, r.statusCode(), attack + ": " + r.body());
        assertProblem(r, "unauthorized");
        assertTrue(r.headers().firstValue("WWW-Authenticate").isPresent());
    }

    @Test
    void me_twoUsersTokens_eachIsItsOwnUserNeverTheOther() throws Exception {
        TestStack.Account a = stack.newAccount("me");
        TestStack.Account b = stack.newAccount("me");
        for (TestStack.Account x : List.of(a, b, a)) {
            HttpResponse<String> r = stack.get("/me", x.bearer());
            assertEquals(200, r.statusCode(), r.body());
            JsonNode me = JSON.readTree(r.body());
            assertEquals(x.id(), me.path("id").asText());
            assertEquals(x.username(), me.path("username").asText());
        }
    }

    @Test
    void signup_storesABcryptHashOfTheConfiguredCost() throws Exception {
        TestStack.Account a = stack.newAccount("me");
        User u = stack.processing.users().findById(UUID.fromString(a.id())).orElseThrow();
        assertEquals(a.username(), u.username());
        assertTrue(u.passwordHash().startsWith("$2"), "bcrypt hash stored");
        assertTrue(u.passwordHash().startsWith("$2a$10$") || u.passwordHash().startsWith("$2b$10$") || u.passwordHash().startsWith("$2y$10$"),
                "cost from config: " + u.passwordHash().substring(0, 7));
    }

    static void assertProblem(HttpResponse<String> r, String slug) throws Exception {
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse("").split(";")[0]);
        JsonNode p = JSON.readTree(r.body());
        assertEquals("https://vsa.dev/problems/" + slug, p.path("type").asText(), r.body());
        assertEquals(r.statusCode(), p.path("status").asInt());
        assertFalse(p.path("title").asText().isEmpty());
    }
}
