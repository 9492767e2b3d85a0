package dev.vsa.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vsa.processing.ApiToken;
import dev.vsa.processing.ApiTokenSecret;
import dev.vsa.processing.ApiTokenService;
import dev.vsa.processing.Scope;
import dev.vsa.processing.User;
import dev.vsa.server.auth.Authenticator;
import dev.vsa.server.http.ApiException;
import dev.vsa.server.http.JsonIo;
import io.javalin.http.Context;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * {@code /tokens}: personal access tokens for pipelines. Managed only from a password session; the secret is
 * shown once, in the answer that makes it.
 */
final class TokenApi {
    private static final int MAX_DAYS = 3650;

    private final ApiTokenService tokens;
    private final Authenticator auth;
    private final JsonIo json;
    private final Clock clock;

    TokenApi(ApiTokenService tokens, Authenticator auth, JsonIo json, Clock clock) {
        this.tokens = tokens;
        this.auth = auth;
        this.json = json;
        this.clock = clock;
    }

    void create(Context ctx) {
        User user = auth.requireSession(ctx);
        ObjectNode body = json.readObject(ctx);
        String name = JsonIo.requiredText(body, "name");
        Set<Scope> scopes = scopes(body.get("scopes"));
        Instant expires = null;
        JsonNode days = body.get("expires_in_days");
        if (days != null && !days.isNull()) {
            if (!days.canConvertToInt() || !days.isIntegralNumber() || days.asInt() < 1 || days.asInt() > MAX_DAYS) {
                throw ApiException.invalidField("expires_in_days", "expires_in_days must be a whole number 1.." + MAX_DAYS);
            }
            expires = clock.instant().plus(Duration.ofDays(days.asInt()));
        }
        ApiTokenSecret made = tokens.create(user.id(), name, scopes, expires);
        json.write(ctx, 201, tokenJson(made.token()).put("token", made.secret()));
    }

    void list(Context ctx) {
        User user = auth.requireSession(ctx);
        ArrayNode items = json.mapper().createArrayNode();
        tokens.list(user.id()).forEach(t -> items.add(tokenJson(t)));
        ObjectNode o = json.object();
        o.set("items", items);
        json.write(ctx, 200, o);
    }

    void revoke(Context ctx) {
        User user = auth.requireSession(ctx);
        if (!tokens.revoke(user.id(), SceneApi.uuid(ctx.pathParam("id"), "token"))) {
            throw ApiException.notFound("token");
        }
        ctx.status(204);
    }

    private static Set<Scope> scopes(JsonNode node) {
        String known = Arrays.stream(Scope.values()).map(Scope::id).toList().toString();
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw ApiException.invalidField("scopes", "scopes must be a non-empty array of " + known);
        }
        Set<Scope> out = EnumSet.noneOf(Scope.class);
        for (JsonNode n : node) {
            out.add(Scope.of(n.asText()).orElseThrow(() -> ApiException.invalidField("scopes",
                    "unknown scope '" + n.asText() + "' (known: " + known + ")")));
        }
        return out;
    }

    private ObjectNode tokenJson(ApiToken t) {
        ObjectNode o = json.object();
        o.put("id", t.id().toString());
        o.put("name", t.name());
        ArrayNode scopes = o.putArray("scopes");
        t.scopes().stream().map(Scope::id).sorted().forEach(scopes::add);
        o.put("created_at", str(t.createdAt()));
        o.put("expires_at", str(t.expiresAt()));
        o.put("last_used_at", str(t.lastUsedAt()));
        o.put("revoked_at", str(t.revokedAt()));
        o.put("active", t.active(clock.instant()));
        return o;
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }
}
