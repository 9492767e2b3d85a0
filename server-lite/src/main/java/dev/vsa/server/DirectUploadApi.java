package dev.vsa.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vsa.processing.DirectUploadException;
import dev.vsa.processing.DirectUploads;
import dev.vsa.processing.ProcessingOptions;
import dev.vsa.processing.Scope;
import dev.vsa.processing.User;
import dev.vsa.processing.storage.PresignedMultipart.PartTag;
import dev.vsa.server.auth.Authenticator;
import dev.vsa.server.http.ApiException;
import dev.vsa.server.http.JsonIo;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * {@code /uploads/direct}: uploads whose bytes go from the client straight to the bucket through presigned part URLs
 * (S3 storage only); this API only opens, completes and aborts them. Every call checks the upload against its owner
 * (others get 404).
 */
final class DirectUploadApi {
    private final DirectUploads uploads;
    private final SceneApi sceneApi;
    private final Authenticator auth;
    private final JsonIo json;

    DirectUploadApi(DirectUploads uploads, SceneApi sceneApi, Authenticator auth, JsonIo json) {
        this.uploads = uploads;
        this.sceneApi = sceneApi;
        this.auth = auth;
        this.json = json;
    }

    /** {@code POST /uploads/direct} {filename, size, sha256, part_size?, options?}: 201 with the part URLs. */
    void start(Context ctx) {
        User user = auth.require(ctx, Scope.SCENES_WRITE);
        ObjectNode body = json.readObject(ctx);
        String filename = JsonIo.requiredText(body, "filename");
        long size = requiredLong(body, "size");
        String sha256 = JsonIo.requiredText(body, "sha256");
        JsonNode ps = body.get("part_size");
        Long partSize = ps == null || ps.isNull() ? null : requiredLong(body, "part_size");
        // The same JSON as the 'options' field of POST /upload/; refused here, before any byte is sent.
        ProcessingOptions options = ProcessingOptions.fromJson(body.get("options"));
        DirectUploads.Session s;
        try {
            s = uploads.start(user.id(), filename, size, sha256, partSize, options);
        } catch (DirectUploadException e) {
            throw problem(e);
        }
        String self = sceneApi.base(ctx) + "/uploads/direct/" + s.id();
        ObjectNode o = json.object();
        o.put("upload_id", s.id().toString());
        o.put("filename", s.filename());
        o.put("size", s.size());
        o.put("sha256", s.sha256());
        o.put("part_size", s.partSize());
        ArrayNode parts = o.putArray("parts");
        for (DirectUploads.Part p : s.parts()) {
            parts.addObject().put("number", p.number()).put("url", p.url().toString()).put("size", p.size());
        }
        o.set("processing_options", options.toJson());
        o.put("expires_at", s.expiresAt().toString());
        o.put("complete_url", self + "/complete");
        o.put("abort_url", self);
        ctx.header("Location", "/uploads/direct/" + s.id());
        json.write(ctx, 201, o);
    }

    /** {@code POST /uploads/direct/{id}/complete} {parts: [{number, etag}]}: 201 with the scene, as an upload. */
    void complete(Context ctx) {
        User user = auth.require(ctx, Scope.SCENES_WRITE);
        UUID id = SceneApi.uuid(ctx.pathParam("id"), "upload");
        JsonNode parts = json.readObject(ctx).get("parts");
        if (parts == null || !parts.isArray()) {
            throw ApiException.invalidField("parts", "parts must be an array of {number, etag}, one per part sent");
        }
        List<PartTag> tags = new ArrayList<>();
        for (JsonNode p : parts) {
            JsonNode n = p.get("number");
            JsonNode e = p.get("etag");
            if (n == null || !n.canConvertToInt() || !n.isIntegralNumber() || e == null || !e.isTextual()) {
                throw ApiException.invalidField("parts", "each part must be {\"number\": <int>, \"etag\": \"<ETag header "
                        + "the store answered the part's PUT with>\"}");
            }
            tags.add(new PartTag(n.asInt(), e.asText()));
        }
        try {
            sceneApi.created(ctx, uploads.complete(user.id(), id, tags)
                    .orElseThrow(() -> ApiException.notFound("upload " + id)));
        } catch (DirectUploadException e) {
            throw problem(e);
        }
    }

    /** {@code DELETE /uploads/direct/{id}}: 204; the store frees the parts sent so far. */
    void abort(Context ctx) {
        User user = auth.require(ctx, Scope.SCENES_WRITE);
        UUID id = SceneApi.uuid(ctx.pathParam("id"), "upload");
        try {
            if (!uploads.abort(user.id(), id)) {
                throw ApiException.notFound("upload " + id);
            }
        } catch (DirectUploadException e) {
            throw problem(e);
        }
        ctx.status(204);
    }

    private static long requiredLong(ObjectNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || !n.isIntegralNumber() || !n.canConvertToLong()) {
            throw ApiException.invalidField(field, field + " must be a whole number of bytes");
        }
        return n.asLong();
    }

    /** One problem type per reason (documented in openapi.json). */
    static ApiException problem(DirectUploadException e) {
        return switch (e.reason()) {
            case UNAVAILABLE -> new ApiException(409, "direct-upload-unavailable", "Direct uploads unavailable",
                    e.getMessage());
            case INCOMPLETE -> new ApiException(422, "direct-upload-incomplete", "Upload incomplete", e.getMessage());
            case SIZE_MISMATCH -> new ApiException(422, "direct-upload-size-mismatch", "Size mismatch", e.getMessage());
            case CHECKSUM_MISMATCH -> new ApiException(422, "direct-upload-checksum-mismatch", "Checksum mismatch",
                    e.getMessage());
            case IN_PROGRESS -> new ApiException(409, "direct-upload-in-progress", "Completion in progress",
                    e.getMessage(), java.util.Map.of(), java.util.Map.of("Retry-After", "5"));
            case COMPLETED -> new ApiException(409, "direct-upload-completed", "Upload completed", e.getMessage());
            case EXPIRED -> new ApiException(410, "direct-upload-expired", "Upload expired", e.getMessage());
        };
    }
}
