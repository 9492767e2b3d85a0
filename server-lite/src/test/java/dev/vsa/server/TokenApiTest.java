package dev.vsa.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static dev.vsa.server.TestStack.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Personal access tokens over real HTTP: scopes enforced per route, revocation at once, managed by sessions only. */
class TokenApiTest {
    private final TestStack stack = TestStack.shared();

    private static JsonNode problem(HttpResponse<String> r, int status, String slug) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        AuthApiTest.assertProblem(r, slug);
        return JSON.readTree(r.body());
    }

    private JsonNode token(TestStack.Account a, List<String> scopes) throws Exception {
        HttpResponse<String> r = stack.postJson("/tokens", Map.of("name", "ci", "scopes", scopes,
                "expires_in_days", 30), a.bearer());
        assertEquals(201, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    @Test
    void readToken_readsButCannotWrite_andRevocationIsImmediate() throws Exception {
        TestStack.Account a = stack.newAccount("tok");
        JsonNode up = JSON.readTree(stack.upload(a.bearer(), "s.splat", TestStack.splat(20, 2)).body());
        String scene = up.path("scene_id").asText();
        JsonNode made = token(a, List.of("scenes:read"));
        String pat = "Bearer " + made.path("token").asText();
        assertTrue(made.path("token").asText().startsWith("vsa_pat_"));
        assertTrue(made.path("expires_at").isTextual());

        assertEquals(200, stack.get("/scenes", pat).statusCode());
        assertEquals(200, stack.get("/scenes/" + scene, pat).statusCode());
        assertEquals(200, stack.get("/jobs/" + up.path("job_id").asText(), pat).statusCode());
        assertEquals(a.username(), JSON.readTree(stack.get("/me", pat).body()).path("username").asText());
        JsonNode p = problem(stack.upload(pat, "t.splat", TestStack.splat(5, 3)), 403, "insufficient-scope");
        assertTrue(p.path("detail").asText().contains("scenes:write"), p.toString());
        problem(stack.delete("/scenes/" + scene, pat), 403, "insufficient-scope");
        problem(stack.postJson("/scenes/" + scene + "/conversions", Map.of("to", "glb"), pat), 403, "insufficient-scope");
        problem(stack.get("/webhooks", pat), 403, "insufficient-scope");
        problem(stack.get("/tokens", pat), 403, "insufficient-scope");
        problem(stack.postJson("/tokens", Map.of("name", "x", "scopes", List.of("scenes:write")), pat), 403,
                "insufficient-scope");

        JsonNode listed = JSON.readTree(stack.get("/tokens", a.bearer()).body()).path("items");
        assertEquals(1, listed.size());
        assertTrue(listed.get(0).path("token").isMissingNode(), "the secret is shown only once");
        assertTrue(listed.get(0).path("last_used_at").isTextual(), "last use recorded");

        assertEquals(204, stack.delete("/tokens/" + made.path("id").asText(), a.bearer()).statusCode());
        problem(stack.get("/scenes", pat), 401, "unauthorized");
        assertFalse(JSON.readTree(stack.get("/tokens", a.bearer()).body()).path("items").get(0).path("active").asBoolean());
    }

    @Test
    void writeToken_uploadsAndDeletes() throws Exception {
        TestStack.Account a = stack.newAccount("tokw");
        String pat = "Bearer " + token(a, List.of("scenes:read", "scenes:write")).path("token").asText();
        HttpResponse<String> up = stack.upload(pat, "w.splat", TestStack.splat(10, 4));
        assertEquals(201, up.statusCode(), up.body());
        assertEquals(204, stack.delete("/scenes/" + JSON.readTree(up.body()).path("scene_id").asText(), pat).statusCode());
    }

    @Test
    void token_ofADeletedAccount_isRefusedAtOnce() throws Exception {
        TestStack.Account a = stack.newAccount("tokd");
        String pat = "Bearer " + token(a, List.of("scenes:read")).path("token").asText();
        assertEquals(200, stack.get("/me", pat).statusCode()); // now remembered for a few seconds
        assertTrue(stack.processing.users().delete(java.util.UUID.fromString(a.id())));
        problem(stack.get("/me", pat), 401, "unauthorized");
    }

    @Test
    void tokens_otherUsersAndBadInput() throws Exception {
        TestStack.Account a = stack.newAccount("toka");
        TestStack.Account b = stack.newAccount("tokb");
        String id = token(a, List.of("webhooks")).path("id").asText();
        problem(stack.delete("/tokens/" + id, b.bearer()), 404, "not-found");
        assertEquals(0, JSON.readTree(stack.get("/tokens", b.bearer()).body()).path("items").size());
        problem(stack.postJson("/tokens", Map.of("name", "x", "scopes", List.of("root")), a.bearer()), 422, "invalid-field");
        problem(stack.postJson("/tokens", Map.of("name", "x", "scopes", List.of()), a.bearer()), 422, "invalid-field");
        problem(stack.postJson("/tokens", Map.of("name", "x", "scopes", List.of("webhooks"), "expires_in_days", 0),
                a.bearer()), 422, "invalid-field");
        problem(stack.get("/scenes", "Bearer vsa_pat_forged"), 401, "unauthorized");
    }
}
