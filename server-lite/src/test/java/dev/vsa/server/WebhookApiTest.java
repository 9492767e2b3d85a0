package dev.vsa.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static dev.vsa.server.TestStack.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /webhooks over real HTTP: a receiver on loopback gets signed scene events; others' webhooks are 404. */
class WebhookApiTest {
    private final TestStack stack = TestStack.shared();
    static HttpServer receiver;
    static String target;
    static final BlockingQueue<String[]> received = new LinkedBlockingQueue<>();

    @BeforeAll
    static void startReceiver() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            received.add(new String[] {ex.getRequestHeaders().getFirst("webhook-id"),
                    ex.getRequestHeaders().getFirst("webhook-timestamp"),
                    ex.getRequestHeaders().getFirst("webhook-signature"), new String(body, StandardCharsets.UTF_8)});
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        receiver.start();
        target = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
    }

    @AfterAll
    static void stopReceiver() {
        receiver.stop(0);
    }

    private static String sign(String secret, String id, String ts, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
        return "v1," + Base64.getEncoder().encodeToString(mac.doFinal((id + "." + ts + "." + body).getBytes(StandardCharsets.UTF_8)));
    }

    private static String[] next() throws InterruptedException {
        String[] r = received.poll(60, TimeUnit.SECONDS);
        assertNotNull(r, "no delivery within a minute");
        return r;
    }

    @Test
    void webhook_lifecycle_signedEventsAndLog() throws Exception {
        TestStack.Account a = stack.newAccount("wh");
        HttpResponse<String> made = stack.postJson("/webhooks", Map.of("url", target, "description", "ci",
                "events", List.of("scene.ready", "scene.deleted")), a.bearer());
        assertEquals(201, made.statusCode(), made.body());
        JsonNode w = JSON.readTree(made.body());
        String id = w.path("id").asText();
        String secret = w.path("secret").asText();
        assertTrue(secret.startsWith("whsec_"));
        JsonNode listed = JSON.readTree(stack.get("/webhooks", a.bearer()).body()).path("items");
        assertEquals(1, listed.size());
        assertTrue(listed.get(0).path("secret").isMissingNode(), "the secret is shown only once");

        received.clear();
        JsonNode up = JSON.readTree(stack.upload(a.bearer(), "s.splat", TestStack.splat(50, 1)).body());
        stack.awaitScene(a.bearer(), up.path("scene_id").asText(), up.path("job_id").asText());
        String[] r = next();
        assertEquals(sign(secret, r[0], r[1], r[3]), r[2]);
        JsonNode event = JSON.readTree(r[3]);
        assertEquals("scene.ready", event.path("type").asText());
        assertEquals(up.path("scene_id").asText(), event.path("data").path("scene_id").asText());

        HttpResponse<String> rotated = stack.postJson("/webhooks/" + id + "/rotate-secret", Map.of(), a.bearer());
        assertEquals(200, rotated.statusCode(), rotated.body());
        String secret2 = JSON.readTree(rotated.body()).path("secret").asText();
        assertEquals(204, stack.delete("/scenes/" + up.path("scene_id").asText(), a.bearer()).statusCode());
        r = next();
        assertEquals("scene.deleted", JSON.readTree(r[3]).path("type").asText());
        List<String> sigs = List.of(r[2].split(" "));
        assertTrue(sigs.contains(sign(secret, r[0], r[1], r[3])) && sigs.contains(sign(secret2, r[0], r[1], r[3])), r[2]);

        HttpResponse<String> ping = stack.postJson("/webhooks/" + id + "/test", Map.of(), a.bearer());
        assertEquals(202, ping.statusCode(), ping.body());
        r = next();
        assertEquals("webhook.test", JSON.readTree(r[3]).path("type").asText());
        assertEquals(JSON.readTree(ping.body()).path("delivery_id").asText(), r[0]);

        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode log;
        do {
            log = JSON.readTree(stack.get("/webhooks/" + id + "/deliveries", a.bearer()).body()).path("items");
        } while ((log.size() < 3 || !log.findValuesAsText("state").stream().allMatch("delivered"::equals))
                && System.nanoTime() < deadline && sleep());
        assertEquals(3, log.size(), log.toString());
        assertEquals(List.of("webhook.test", "scene.deleted", "scene.ready"), log.findValuesAsText("event"));
        assertEquals(200, log.get(0).path("last_status").asInt());

        assertEquals(204, stack.delete("/webhooks/" + id, a.bearer()).statusCode());
        problem(stack.get("/webhooks/" + id, a.bearer()), 404, "not-found");
    }

    /** Checks a problem answer's status and type; returns its body. */
    private static JsonNode problem(HttpResponse<String> r, int status, String slug) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        AuthApiTest.assertProblem(r, slug);
        return JSON.readTree(r.body());
    }

    private static boolean sleep() throws InterruptedException {
        Thread.sleep(100);
        return true;
    }

    @Test
    void webhooks_otherUser_404_andAnonymous_401() throws Exception {
        TestStack.Account a = stack.newAccount("wha");
        TestStack.Account b = stack.newAccount("whb");
        String id = JSON.readTree(stack.postJson("/webhooks", Map.of("url", target), a.bearer()).body()).path("id").asText();
        problem(stack.get("/webhooks/" + id, b.bearer()), 404, "not-found");
        problem(stack.delete("/webhooks/" + id, b.bearer()), 404, "not-found");
        problem(stack.postJson("/webhooks/" + id + "/rotate-secret", Map.of(), b.bearer()), 404, "not-found");
        problem(stack.postJson("/webhooks/" + id + "/test", Map.of(), b.bearer()), 404, "not-found");
        problem(stack.get("/webhooks/" + id + "/deliveries", b.bearer()), 404, "not-found");
        problem(stack.get("/webhooks", null), 401, "unauthorized");
        assertEquals(0, JSON.readTree(stack.get("/webhooks", b.bearer()).body()).path("items").size());
    }

    @Test
    void create_badInput_422NamingTheField() throws Exception {
        TestStack.Account a = stack.newAccount("whv");
        assertEquals("url", (problem(stack.postJson("/webhooks", Map.of("url", "gopher://x"), a.bearer()),
                422, "invalid-field")).path("field").asText());
        assertEquals("events", (problem(stack.postJson("/webhooks",
                Map.of("url", target, "events", List.of("scene.nope")), a.bearer()), 422, "invalid-field"))
                .path("field").asText());
        problem(stack.postJson("/webhooks", Map.of("description", "no url"), a.bearer()), 422, "invalid-field");
    }

    @Test
    void create_privateTarget_refusedByDefault() throws Exception {
        TestStack local = TestStack.local();
        TestStack.Account a = local.newAccount("whs");
        HttpResponse<String> r = local.postJson("/webhooks", Map.of("url", target), a.bearer());
        JsonNode p = (problem(r, 422, "invalid-field"));
        assertEquals("url", p.path("field").asText());
        assertTrue(p.path("detail").asText().contains("private or local"), p.toString());
        problem(local.postJson("/webhooks", Map.of("url", "http://169.254.169.254/latest/meta-data/"), a.bearer()),
                422, "invalid-field");
    }
}
