package dev.vsa.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vsa.processing.Scope;
import dev.vsa.processing.User;
import dev.vsa.processing.Webhook;
import dev.vsa.processing.WebhookDelivery;
import dev.vsa.processing.WebhookSecret;
import dev.vsa.processing.WebhookService;
import dev.vsa.server.auth.Authenticator;
import dev.vsa.server.http.ApiException;
import dev.vsa.server.http.JsonIo;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * {@code /webhooks/*}: a user's endpoints for scene events, their secrets (shown when made or rotated) and
 * delivery logs. Another user's webhook is a 404.
 */
final class WebhookApi {
    private final WebhookService webhooks;
    private final Authenticator auth;
    private final JsonIo json;

    WebhookApi(WebhookService webhooks, Authenticator auth, JsonIo json) {
        this.webhooks = webhooks;
        this.auth = auth;
        this.json = json;
    }

    void create(Context ctx) {
        User user = auth.require(ctx, Scope.WEBHOOKS);
        ObjectNode body = json.readObject(ctx);
        String url = JsonIo.requiredText(body, "url");
        JsonNode desc = body.get("description");
        if (desc != null && !desc.isNull() && !desc.isTextual()) {
            throw ApiException.invalidField("description", "description must be a string");
        }
        WebhookSecret made = webhooks.create(user.id(), url, desc == null || desc.isNull() ? "" : desc.asText(),
                events(body.get("events")));
        json.write(ctx, 201, withSecret(made));
    }

    void list(Context ctx) {
        User user = auth.require(ctx, Scope.WEBHOOKS);
        ArrayNode items = json.mapper().createArrayNode();
        webhooks.list(user.id()).forEach(w -> items.add(webhookJson(w)));
        ObjectNode o = json.object();
        o.set("items", items);
        json.write(ctx, 200, o);
    }

    void get(Context ctx) {
        User user = auth.require(ctx, Scope.WEBHOOKS);
        json.write(ctx, 200, webhookJson(webhooks.get(user.id(), id(ctx)).orElseThrow(WebhookApi::notFound)));
    }

    void delete(Context ctx) {
        User user = auth.require(ctx, Scope.WEBHOOKS);
        if (!webhooks.delete(user.id(), id(ctx))) {
            throw notFound();
        }
        ctx.status(204);
    }

    void rotate(Context ctx) {
        User user = auth.require(ctx, Scope.WEBHOOKS);
        json.write(ctx, 200, withSecret(webhooks.rotateSecret(user.id(), id(ctx)).orElseThrow(WebhookApi::notFound)));
    }

    void test(Context ctx) {
        User user = auth.require(ctx, Scope.WEBHOOKS);
        UUID delivery = webhooks.test(user.id(), id(ctx)).orElseThrow(WebhookApi::notFound);
        json.write(ctx, 202, json.object().put("delivery_id", delivery.toString()));
    }

    void deliveries(Context ctx) {
        User user = auth.require(ctx, Scope.WEBHOOKS);
        int limit = limit(ctx.queryParam("limit"));
        List<WebhookDelivery> log = webhooks.deliveries(user.id(), id(ctx), limit).orElseThrow(WebhookApi::notFound);
        ArrayNode items = json.mapper().createArrayNode();
        for (WebhookDelivery d : log) {
            ObjectNode o = items.addObject();
            o.put("id", d.id().toString());
            o.put("event", d.eventType());
            o.put("state", d.state());
            o.put("attempts", d.attempts());
            o.put("last_status", d.lastStatus());
            o.put("last_error", d.lastError());
            o.put("created_at", str(d.createdAt()));
            o.put("last_attempt_at", str(d.lastAttemptAt()));
            o.put("delivered_at", str(d.deliveredAt()));
        }
        ObjectNode o = json.object();
        o.set("items", items);
        json.write(ctx, 200, o);
    }

    private static int limit(String text) {
        if (text == null) {
            return 50;
        }
        try {
            int n = Integer.parseInt(text);
            if (n >= 1 && n <= 200) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw ApiException.invalidField("limit", "limit must be a whole number 1..200, was '" + text + "'");
    }

    private static List<String> events(JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw ApiException.invalidField("events", "events must be an array of event types " + WebhookService.EVENTS);
        }
        List<String> out = new ArrayList<>();
        for (JsonNode n : node) {
            if (!n.isTextual()) {
                throw ApiException.invalidField("events", "events must be an array of event types " + WebhookService.EVENTS);
            }
            out.add(n.asText());
        }
        return out;
    }

    private ObjectNode withSecret(WebhookSecret s) {
        return webhookJson(s.webhook()).put("secret", s.secret());
    }

    private ObjectNode webhookJson(Webhook w) {
        ObjectNode o = json.object();
        o.put("id", w.id().toString());
        o.put("url", w.url());
        o.put("description", w.description());
        ArrayNode events = o.putArray("events");
        (w.events().isEmpty() ? WebhookService.EVENTS : w.events()).forEach(events::add);
        o.put("created_at", str(w.createdAt()));
        o.put("previous_secret_until", str(w.previousSecretUntil()));
        return o;
    }

    private static UUID id(Context ctx) {
        return SceneApi.uuid(ctx.pathParam("id"), "webhook");
    }

    private static ApiException notFound() {
        return ApiException.notFound("webhook");
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }
}
