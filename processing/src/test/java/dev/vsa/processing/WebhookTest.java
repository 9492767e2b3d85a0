package dev.vsa.processing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.vsa.processing.ProcessingTestSupport.await;
import static dev.vsa.processing.ProcessingTestSupport.awaitTerminal;
import static dev.vsa.processing.ProcessingTestSupport.part;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Webhooks end to end: real jobs, real PostgreSQL, a real HTTP receiver on loopback checking signatures. */
class WebhookTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path home;
    static Processing p;
    static HttpServer receiver;
    static String base;
    /** Requests received, in order. */
    static final List<Received> received = new CopyOnWriteArrayList<>();
    /** Statuses to answer per path, in order; 204 once a path's list is used up. */
    static final Map<String, Deque<Integer>> answers = new ConcurrentHashMap<>();

    record Received(String path, String id, String timestamp, String signature, byte[] body) {
        JsonNode json() throws Exception {
            return JSON.readTree(body);
        }
    }

    @BeforeAll
    static void start() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            String path = ex.getRequestURI().getPath();
            received.add(new Received(path, ex.getRequestHeaders().getFirst("webhook-id"),
                    ex.getRequestHeaders().getFirst("webhook-timestamp"),
                    ex.getRequestHeaders().getFirst("webhook-signature"), body));
            Integer status = answers.getOrDefault(path, new ConcurrentLinkedDeque<>()).poll();
            ex.sendResponseHeaders(status == null ? 204 : status, -1);
            ex.close();
        });
        receiver.start();
        base = "http://127.0.0.1:" + receiver.getAddress().getPort();
        p = Processing.start(ProcessingTestSupport.config(home, TestDatabases.fresh(), Map.of(
                ProcessingConfig.WEBHOOKS_ALLOW_PRIVATE, "true",
                ProcessingConfig.WEBHOOKS_MAX_ATTEMPTS, "3")));
        p.startWorkers(2);
    }

    @AfterAll
    static void stop() {
        p.close();
        receiver.stop(0);
    }

    private static List<Received> at(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    /** Verifies a Standard Webhooks signature header independently of the sender's code. */
    private static boolean verifies(String secret, Received r) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
        mac.update((r.id() + "." + r.timestamp() + ".").getBytes(StandardCharsets.UTF_8));
        String expected = "v1," + Base64.getEncoder().encodeToString(mac.doFinal(r.body()));
        for (String sig : r.signature().split(" ")) {
            if (sig.equals(expected)) {
                return true;
            }
        }
        return false;
    }

    private static WebhookDelivery delivery(User u, Webhook w, UUID id) {
        return p.webhooks().deliveries(u.id(), w.id(), 50).orElseThrow().stream()
                .filter(d -> d.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void sceneReady_deliveredSignedToSubscribers_only() throws Exception {
        User u = p.users().create("hook1", "hook1@example.org", "h");
        WebhookSecret all = p.webhooks().create(u.id(), base + "/all", "every event", List.of());
        WebhookSecret failedOnly = p.webhooks().create(u.id(), base + "/failed", "", List.of(WebhookService.SCENE_FAILED));
        Scene s = p.scenes().upload(u.id(), part("minimal.splat"));
        awaitTerminal(p, u.id(), s.latestJobId());
        await("the scene.ready delivery", () -> !at("/all").isEmpty());
        Received r = at("/all").get(0);
        assertTrue(verifies(all.secret(), r), r.signature());
        assertFalse(verifies(failedOnly.secret(), r));
        JsonNode event = r.json();
        assertEquals("scene.ready", event.path("type").asText());
        assertEquals(s.id().toString(), event.path("data").path("scene_id").asText());
        assertEquals("ready", event.path("data").path("status").asText());
        assertTrue(Math.abs(Long.parseLong(r.timestamp()) - System.currentTimeMillis() / 1000) < 120);
        await("the delivery log", () -> delivery(u, all.webhook(), UUID.fromString(r.id())).state().equals("delivered"));
        WebhookDelivery d = delivery(u, all.webhook(), UUID.fromString(r.id()));
        assertEquals(1, d.attempts());
        assertEquals(204, d.lastStatus());
        assertTrue(p.webhooks().deliveries(u.id(), failedOnly.webhook().id(), 10).orElseThrow().isEmpty());
        assertTrue(at("/failed").isEmpty());
    }

    @Test
    void delivery_retriedWithSameId_thenGivesUpAndLogsFailure() throws Exception {
        User u = p.users().create("hook2", "hook2@example.org", "h");
        answers.put("/flaky", new ConcurrentLinkedDeque<>(List.of(500, 503)));
        answers.put("/down", new ConcurrentLinkedDeque<>(List.of(500, 500, 500, 500)));
        WebhookSecret flaky = p.webhooks().create(u.id(), base + "/flaky", "", List.of());
        WebhookSecret down = p.webhooks().create(u.id(), base + "/down", "", List.of());
        UUID d1 = p.webhooks().test(u.id(), flaky.webhook().id()).orElseThrow();
        UUID d2 = p.webhooks().test(u.id(), down.webhook().id()).orElseThrow();
        await("flaky delivered", () -> delivery(u, flaky.webhook(), d1).state().equals("delivered"));
        await("down failed", () -> delivery(u, down.webhook(), d2).state().equals("failed"));
        List<Received> tries = at("/flaky");
        assertEquals(3, tries.size());
        assertTrue(tries.stream().allMatch(t -> t.id().equals(d1.toString())), "a retry keeps its webhook-id");
        assertEquals("webhook.test", tries.get(0).json().path("type").asText());
        assertEquals(3, delivery(u, flaky.webhook(), d1).attempts());
        WebhookDelivery failed = delivery(u, down.webhook(), d2);
        assertEquals(3, failed.attempts());
        assertEquals(500, failed.lastStatus());
        assertTrue(failed.lastError().contains("500"), failed.lastError());
        assertEquals(3, at("/down").size(), "no attempt past webhooks.max-attempts");
    }

    @Test
    void rotateSecret_oldAndNewBothSign_thenSceneDeletedEvent() throws Exception {
        User u = p.users().create("hook3", "hook3@example.org", "h");
        WebhookSecret first = p.webhooks().create(u.id(), base + "/rot", "", List.of(WebhookService.SCENE_DELETED));
        WebhookSecret second = p.webhooks().rotateSecret(u.id(), first.webhook().id()).orElseThrow();
        assertNotEquals(first.secret(), second.secret());
        assertTrue(second.webhook().previousSecretUntil() != null);
        Scene s = p.scenes().upload(u.id(), part("minimal.splat"));
        awaitTerminal(p, u.id(), s.latestJobId());
        assertTrue(p.scenes().delete(u.id(), s.id()));
        await("scene.deleted", () -> !at("/rot").isEmpty());
        Received r = at("/rot").get(0);
        assertEquals("scene.deleted", r.json().path("type").asText());
        assertEquals(s.id().toString(), r.json().path("data").path("scene_id").asText());
        assertTrue(verifies(first.secret(), r), "the previous secret still signs during the overlap");
        assertTrue(verifies(second.secret(), r));
        assertEquals(1, at("/rot").size(), "only scene.deleted was subscribed");
    }

    @Test
    void create_badInput_refusedNamingTheField() {
        User u = p.users().create("hook4", "hook4@example.org", "h");
        assertEquals("url", assertThrows(InvalidRequestException.class,
                () -> p.webhooks().create(u.id(), "ftp://example.org/", "", List.of())).field());
        assertEquals("events", assertThrows(InvalidRequestException.class,
                () -> p.webhooks().create(u.id(), base + "/x", "", List.of("scene.exploded"))).field());
        List<UUID> made = new ArrayList<>();
        for (int i = 0; i < WebhookService.MAX_PER_USER; i++) {
            made.add(p.webhooks().create(u.id(), base + "/n" + i, "", List.of()).webhook().id());
        }
        assertThrows(InvalidRequestException.class, () -> p.webhooks().create(u.id(), base + "/one-more", "", List.of()));
        assertTrue(p.webhooks().delete(u.id(), made.get(0)));
        assertEquals(WebhookService.MAX_PER_USER - 1, p.webhooks().list(u.id()).size());
    }

    @Test
    void otherUsersWebhooks_invisible() {
        User a = p.users().create("hook5", "hook5@example.org", "h");
        User b = p.users().create("hook6", "hook6@example.org", "h");
        Webhook w = p.webhooks().create(a.id(), base + "/a", "", List.of()).webhook();
        assertTrue(p.webhooks().get(b.id(), w.id()).isEmpty());
        assertTrue(p.webhooks().rotateSecret(b.id(), w.id()).isEmpty());
        assertTrue(p.webhooks().test(b.id(), w.id()).isEmpty());
        assertTrue(p.webhooks().deliveries(b.id(), w.id(), 10).isEmpty());
        assertFalse(p.webhooks().delete(b.id(), w.id()));
        assertTrue(p.webhooks().get(a.id(), w.id()).isPresent());
    }

    @Test
    void privateTargets_refusedByDefault() throws Exception {
        ProcessingConfig strict = ProcessingTestSupport.config(home.resolve("strict"), "jdbc:postgresql://127.0.0.1:1/none", Map.of());
        assertFalse(strict.webhooksAllowPrivate());
        WebhookService service = new WebhookService(null, strict, null);
        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> service.create(UUID.randomUUID(), base + "/x", "", List.of()));
        assertTrue(e.getMessage().contains("private or local"), e.getMessage());
    }

    /** Every argument is checked before the URL's host is resolved: a wrong event name is not reported as a DNS error. */
    @Test
    void argumentsAreCheckedBeforeTheHostIsResolved() throws Exception {
        ProcessingConfig strict = ProcessingTestSupport.config(home.resolve("strict"), "jdbc:postgresql://127.0.0.1:1/none", Map.of());
        WebhookService service = new WebhookService(null, strict, null);
        String unresolvable = "https://no-such-host.invalid/hook";
        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> service.create(UUID.randomUUID(), unresolvable, "", List.of("scene.bogus")));
        assertEquals("events", e.field(), e.getMessage());
        e = assertThrows(InvalidRequestException.class,
                () -> service.create(UUID.randomUUID(), unresolvable, "d".repeat(501), List.of()));
        assertEquals("description", e.field(), e.getMessage());
        // the URL's syntax is an argument too, checked first
        e = assertThrows(InvalidRequestException.class,
                () -> service.create(UUID.randomUUID(), "ftp://example.org/x", "", List.of("scene.bogus")));
        assertEquals("url", e.field(), e.getMessage());
        // and with the arguments right, the host is resolved
        e = assertThrows(InvalidRequestException.class,
                () -> service.create(UUID.randomUUID(), unresolvable, "", List.of(WebhookService.SCENE_READY)));
        assertTrue(e.getMessage().contains("does not resolve"), e.getMessage());
    }
}
