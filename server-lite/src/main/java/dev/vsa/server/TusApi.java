package dev.vsa.server;

import dev.vsa.processing.Scope;
import dev.vsa.processing.User;
import dev.vsa.processing.resumable.ResumableUpload;
import dev.vsa.processing.resumable.ResumableUploadException;
import dev.vsa.processing.resumable.ResumableUploads;
import dev.vsa.server.auth.Authenticator;
import dev.vsa.server.http.ApiException;
import io.javalin.http.Context;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;

import java.io.IOException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Resumable uploads over the tus 1.0.0 protocol (tus.io/protocols/resumable-upload): core ({@code HEAD},
 * {@code PATCH}, {@code OPTIONS}) and the creation, termination, checksum and expiration extensions, at
 * {@code /uploads/tus}. The state and the bytes are {@link ResumableUploads}' (PostgreSQL and the store), so an
 * upload goes on across API restarts and processes. The last piece makes the upload a scene through the same path
 * as {@code POST /upload/}; that answer, and any HEAD afterwards, names it ({@code Vsa-Scene-Id}, {@code Vsa-Job-Id},
 * {@code Location}). Errors are problem+json, each with {@code Tus-Resumable}; another owner's upload is 404.
 */
final class TusApi {
    static final String PATH = "/uploads/tus";
    static final String VERSION = "1.0.0";
    private static final String OCTETS = "application/offset+octet-stream";
    private static final String EXTENSIONS = "creation,termination,checksum,expiration";

    private final ResumableUploads uploads;
    private final Authenticator auth;
    private final Supplier<String> baseUrl;

    TusApi(ResumableUploads uploads, Authenticator auth, Supplier<String> baseUrl) {
        this.uploads = uploads;
        this.auth = auth;
        this.baseUrl = baseUrl;
    }

    /** {@code OPTIONS}: what this server speaks (no authentication, as the protocol expects). */
    void options(Context ctx) {
        ctx.header("Tus-Resumable", VERSION);
        ctx.header("Tus-Version", VERSION);
        ctx.header("Tus-Max-Size", Long.toString(uploads.maxUploadBytes()));
        ctx.header("Tus-Extension", EXTENSIONS);
        ctx.header("Tus-Checksum-Algorithm", String.join(",", ResumableUploads.CHECKSUM_ALGORITHMS));
        ctx.status(204);
    }

    /** {@code POST}: creates an upload of {@code Upload-Length} bytes; refused before any byte when too large. */
    void create(Context ctx) {
        protocol(ctx);
        User user = auth.require(ctx, Scope.SCENES_WRITE);
        if (ctx.header("Upload-Defer-Length") != null) {
            throw ApiException.invalidField("Upload-Length", "Upload-Defer-Length is not supported: declare Upload-Length");
        }
        long length = number(ctx, "Upload-Length");
        if (length > uploads.maxUploadBytes()) {
            throw SceneApi.tooLarge(uploads.maxUploadBytes());
        }
        if (ctx.req().getContentLengthLong() > 0) {
            // creation-with-upload is not offered: bytes here would be dropped, so say so instead
            throw ApiException.badRequest("bad-request", "send no body with POST; send the bytes with PATCH");
        }
        String key = ctx.header("Idempotency-Key");
        if (key != null && !key.matches("[\\x21-\\x7e]{1,200}")) {
            throw ApiException.invalidField("Idempotency-Key", "Idempotency-Key must be 1..200 printable ASCII characters");
        }
        String metadata = ctx.header("Upload-Metadata");
        ResumableUpload u;
        try {
            u = uploads.create(user.id(), length, metadata, key);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidField("Upload-Metadata", e.getMessage());
        } catch (ResumableUploadException e) {
            throw problem(e);
        }
        ctx.header("Location", baseUrl.get() + PATH + "/" + u.id());
        state(ctx, u);
        ctx.status(201);
    }

    /** {@code HEAD}: how far the upload is (and its scene, once it is one). */
    void head(Context ctx) {
        protocol(ctx);
        ResumableUpload u = uploads.find(auth.require(ctx, Scope.SCENES_WRITE).id(), id(ctx))
                .orElseThrow(() -> ApiException.notFound("upload " + ctx.pathParam("id")));
        ctx.header("Upload-Length", Long.toString(u.length()));
        if (!u.metadata().isEmpty()) {
            ctx.header("Upload-Metadata", u.metadata());
        }
        ctx.header("Cache-Control", "no-store");
        state(ctx, u);
        ctx.status(200);
    }

    /** {@code PATCH}: appends the body at {@code Upload-Offset}; the last piece makes the scene. */
    void patch(Context ctx) throws IOException {
        protocol(ctx);
        User user = auth.require(ctx, Scope.SCENES_WRITE);
        UUID id = id(ctx);
        String type = ctx.req().getContentType();
        if (type == null || !type.strip().toLowerCase(java.util.Locale.ROOT).startsWith(OCTETS)) {
            throw new ApiException(415, "unsupported-media-type", "Unsupported media type",
                    "send the bytes as Content-Type: " + OCTETS, Map.of(), Map.of("Tus-Resumable", VERSION));
        }
        long offset = number(ctx, "Upload-Offset");
        ResumableUploads.PieceChecksum checksum = null;
        String c = ctx.header("Upload-Checksum");
        if (c != null) {
            try {
                checksum = ResumableUploads.PieceChecksum.parse(c);
            } catch (IllegalArgumentException e) {
                throw ApiException.invalidField("Upload-Checksum", e.getMessage());
            }
        }
        // A stalled body (processing's spool watcher decides) gets its connection closed, which ends the blocked read.
        org.eclipse.jetty.server.Request jetty = ServletContextRequest.getServletContextRequest(ctx.req());
        Runnable onStall = jetty == null ? null : () -> jetty.getConnectionMetaData().getConnection().getEndPoint()
                .close(new java.util.concurrent.TimeoutException("upload too slow"));
        ResumableUpload u;
        try {
            u = uploads.append(user.id(), id, offset, ctx.req().getContentLengthLong(), ctx.req().getInputStream(),
                    checksum, onStall).orElseThrow(() -> ApiException.notFound("upload " + id));
        } catch (ResumableUploadException e) {
            throw problem(e);
        }
        state(ctx, u);
        ctx.status(204);
    }

    /** {@code DELETE}: ends the upload and deletes its bytes (termination). */
    void delete(Context ctx) {
        protocol(ctx);
        User user = auth.require(ctx, Scope.SCENES_WRITE);
        UUID id = id(ctx);
        if (!uploads.delete(user.id(), id)) {
            throw ApiException.notFound("upload " + id);
        }
        ctx.status(204);
    }

    /** Headers every answer carries, and the version check of every request but OPTIONS (412 otherwise). */
    private static void protocol(Context ctx) {
        ctx.header("Tus-Resumable", VERSION);
        String v = ctx.header("Tus-Resumable");
        if (!VERSION.equals(v)) {
            throw new ApiException(412, "tus-version-unsupported", "Unsupported tus version",
                    "send Tus-Resumable: " + VERSION + " (was " + (v == null ? "missing" : "'" + v + "'") + ")",
                    Map.of(), Map.of("Tus-Version", VERSION, "Tus-Resumable", VERSION));
        }
    }

    /** Offset, expiry and, once the upload is a scene, where to follow it. */
    private void state(Context ctx, ResumableUpload u) {
        ctx.header("Upload-Offset", Long.toString(u.offset()));
        if (u.sceneId() == null) {
            ctx.header("Upload-Expires", DateTimeFormatter.RFC_1123_DATE_TIME.format(u.expiresAt().atOffset(ZoneOffset.UTC)));
        } else {
            ctx.header("Vsa-Scene-Id", u.sceneId().toString());
            ctx.header("Vsa-Job-Id", u.jobId().toString());
            ctx.header("Vsa-Sha256", u.sha256());
            ctx.header("Location", baseUrl.get() + "/scenes/" + u.sceneId());
        }
    }

    private static long number(Context ctx, String header) {
        String v = ctx.header(header);
        if (v == null || !v.strip().matches("[0-9]{1,18}")) {
            throw ApiException.invalidField(header, header + " must be a non-negative number of bytes"
                    + (v == null ? " (missing)" : ", was '" + v + "'"));
        }
        return Long.parseLong(v.strip());
    }

    private static UUID id(Context ctx) {
        return SceneApi.uuid(ctx.pathParam("id"), "upload");
    }

    private static ApiException problem(ResumableUploadException e) {
        Map<String, String> headers = e.offset() < 0 ? Map.of("Tus-Resumable", VERSION)
                : Map.of("Tus-Resumable", VERSION, "Upload-Offset", Long.toString(e.offset()));
        return switch (e.reason()) {
            case OFFSET_MISMATCH -> new ApiException(409, "offset-mismatch", "Offset mismatch", e.getMessage(),
                    Map.of("offset", e.offset()), headers);
            case LOCKED -> new ApiException(423, "upload-locked", "Upload busy", e.getMessage(), Map.of(), headers);
            case CHECKSUM_MISMATCH -> new ApiException(460, "checksum-mismatch", "Checksum mismatch", e.getMessage(),
                    Map.of(), headers);
            case PAST_LENGTH -> new ApiException(413, "payload-too-large", "Payload too large", e.getMessage(),
                    Map.of(), headers);
            case TOO_MANY_OPEN -> new ApiException(429, "too-many-uploads", "Too many unfinished uploads",
                    e.getMessage(), Map.of(), headers);
            case KEY_REUSED -> new ApiException(422, "idempotency-key-reused", "Idempotency-Key reused",
                    e.getMessage(), Map.of("field", "Idempotency-Key"), headers);
            case GONE -> new ApiException(404, "not-found", "Not found", e.getMessage(), Map.of(), headers);
        };
    }
}
