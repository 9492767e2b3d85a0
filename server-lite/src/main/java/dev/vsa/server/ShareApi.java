package dev.vsa.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vsa.processing.SceneService;
import dev.vsa.processing.Scope;
import dev.vsa.processing.ShareLink;
import dev.vsa.processing.ShareLinkSecret;
import dev.vsa.processing.ShareService;
import dev.vsa.processing.User;
import dev.vsa.server.auth.Authenticator;
import dev.vsa.server.http.ApiException;
import dev.vsa.server.http.JsonIo;
import io.javalin.http.Context;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Share links: the owner makes, lists and revokes them under {@code /scenes/{id}/shares}; anyone with one reads
 * the scene and downloads its files under {@code /s/{token}} (no account, read-only), and the web app shows it
 * at {@code /#/share/{token}}.
 */
final class ShareApi {
    private static final long DEFAULT_HOURS = 7 * 24;

    private final ShareService shares;
    private final SceneService scenes;
    private final SceneApi sceneApi;
    private final Authenticator auth;
    private final JsonIo json;
    private final Clock clock;

    ShareApi(ShareService shares, SceneService scenes, SceneApi sceneApi, Authenticator auth, JsonIo json, Clock clock) {
        this.shares = shares;
        this.scenes = scenes;
        this.sceneApi = sceneApi;
        this.auth = auth;
        this.json = json;
        this.clock = clock;
    }

    void create(Context ctx) {
        User user = auth.require(ctx, Scope.SCENES_WRITE);
        UUID id = SceneApi.uuid(ctx.pathParam("id"), "scene");
        long hours = DEFAULT_HOURS;
        // The body is optional: no body (and no content type) keeps the default lifetime.
        if (ctx.contentType() != null || ctx.req().getContentLengthLong() > 0) {
            JsonNode h = json.readObject(ctx).get("expires_in_hours");
            if (h != null && !h.isNull()) {
                if (!h.isIntegralNumber() || !h.canConvertToLong()) {
                    throw ApiException.invalidField("expires_in_hours", "expires_in_hours must be a whole number");
                }
                hours = h.asLong();
            }
        }
        if (hours < 1 || hours > ShareService.MAX_TTL.toHours()) {
            throw ApiException.invalidField("expires_in_hours", "expires_in_hours must be 1.." + ShareService.MAX_TTL.toHours());
        }
        ShareLinkSecret made = shares.create(user.id(), id, Duration.ofHours(hours))
                .orElseThrow(() -> ApiException.notFound("scene " + id));
        ObjectNode o = linkJson(made.link());
        o.put("token", made.token());
        o.put("url", sceneApi.base(ctx) + "/s/" + made.token());
        o.put("viewer_url", sceneApi.base(ctx) + "/#/share/" + made.token());
        json.write(ctx, 201, o);
    }

    void list(Context ctx) {
        User user = auth.require(ctx, Scope.SCENES_READ);
        UUID id = SceneApi.uuid(ctx.pathParam("id"), "scene");
        List<ShareLink> links = shares.list(user.id(), id).orElseThrow(() -> ApiException.notFound("scene " + id));
        ArrayNode items = json.mapper().createArrayNode();
        links.forEach(l -> items.add(linkJson(l)));
        ObjectNode o = json.object();
        o.set("items", items);
        json.write(ctx, 200, o);
    }

    void revoke(Context ctx) {
        User user = auth.require(ctx, Scope.SCENES_WRITE);
        UUID id = SceneApi.uuid(ctx.pathParam("id"), "scene");
        if (!shares.revoke(user.id(), id, SceneApi.uuid(ctx.pathParam("share"), "share link"))) {
            throw ApiException.notFound("share link");
        }
        ctx.status(204);
    }

    /** {@code GET /s/{token}}: the shared scene, read-only, its file URLs under the link. */
    void view(Context ctx) {
        String token = ctx.pathParam("token");
        ShareService.SharedScene shared = resolve(token);
        var scene = scenes.get(shared.ownerId(), shared.sceneId()).orElseThrow(ShareApi::gone);
        ObjectNode o = sceneApi.sceneJson(ctx, scene, sceneApi.base(ctx) + "/s/" + token, job -> Optional.empty());
        o.remove("url");
        o.remove("job_id");
        o.put("shared_until", shared.expiresAt().toString());
        ctx.header("Cache-Control", "private, no-store");
        json.write(ctx, 200, o);
    }

    /** {@code GET /s/{token}/files/<name>}. */
    void download(Context ctx) throws IOException {
        ShareService.SharedScene shared = resolve(ctx.pathParam("token"));
        sceneApi.sendFile(ctx, shared.ownerId(), shared.sceneId(), ctx.pathParam("name"));
    }

    private ShareService.SharedScene resolve(String token) {
        return shares.resolve(token).orElseThrow(ShareApi::gone);
    }

    private static ApiException gone() {
        return ApiException.notFound("share link (it may have expired or been revoked)");
    }

    private ObjectNode linkJson(ShareLink l) {
        ObjectNode o = json.object();
        o.put("id", l.id().toString());
        o.put("scene_id", l.sceneId().toString());
        o.put("created_at", l.createdAt().toString());
        o.put("expires_at", l.expiresAt().toString());
        o.put("revoked_at", l.revokedAt() == null ? null : l.revokedAt().toString());
        o.put("active", l.active(clock.instant()));
        return o;
    }
}
