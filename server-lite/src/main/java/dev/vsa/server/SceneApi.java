package dev.vsa.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.vsa.processing.ByteRange;
import dev.vsa.processing.ConversionTarget;
import dev.vsa.processing.FileDownload;
import dev.vsa.processing.Job;
import dev.vsa.processing.Scene;
import dev.vsa.processing.SceneDetails;
import dev.vsa.processing.SceneFile;
import dev.vsa.processing.SceneFilter;
import dev.vsa.processing.ScenePage;
import dev.vsa.processing.SceneService;
import dev.vsa.processing.SceneStatus;
import dev.vsa.processing.UploadPart;
import dev.vsa.processing.UploadSpool;
import dev.vsa.processing.Scope;
import dev.vsa.processing.User;
import dev.vsa.server.auth.Authenticator;
import dev.vsa.server.http.ApiException;
import dev.vsa.server.http.JsonIo;
import io.javalin.http.Context;
import jakarta.servlet.MultipartConfigElement;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Part;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** {@code /upload/} and {@code /scenes/*}: every call checks the scene against its owner (others get 404). */
final class SceneApi {
    /** Multipart framing around the file bytes: boundaries and part headers. */
    private static final long MULTIPART_OVERHEAD = 64 * 1024;
    /**
     * The request attribute through which Jetty's servlet layer takes a {@link MultipartConfigElement} for a
     * request (what {@code @MultipartConfig} gives an annotated servlet; Javalin sets it the same way).
     */
    private static final String MULTIPART_CONFIG = "org.eclipse.jetty.multipartConfig";
    /**
     * Parts up to this size stay in memory, larger ones (plain fields too) go to disk. Jetty allows 1000 parts,
     * so one request holds at most about 4 MB in memory whatever it sends.
     */
    private static final int IN_MEMORY_PART_BYTES = 4096;

    private final SceneService scenes;
    private final Authenticator auth;
    private final JsonIo json;
    private final JobApi jobs;
    private final long maxUploadBytes;
    /** The configured public base URL, else the bind address: never the request's Host header. */
    private final java.util.function.Supplier<String> baseUrl;
    /** Processing options at upload and {@code POST /scenes/{id}/reprocess}. */
    final ProcessingOptionsApi options;

    SceneApi(SceneService scenes, Authenticator auth, JsonIo json, JobApi jobs, long maxUploadBytes,
            java.util.function.Supplier<String> baseUrl) {
        this.scenes = scenes;
        this.auth = auth;
        this.json = json;
        this.jobs = jobs;
        this.maxUploadBytes = maxUploadBytes;
        this.baseUrl = baseUrl;
        this.options = new ProcessingOptionsApi(scenes, auth, json, baseUrl);
    }

    void upload(Context ctx) throws IOException {
        User user = auth.require(ctx, Scope.SCENES_WRITE);
        String type = ctx.req().getContentType();
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            throw new ApiException(415, "unsupported-media-type", "Unsupported media type",
                    "send multipart/form-data with the scene in a field named 'file'");
        }
        long length = ctx.req().getContentLengthLong();
        if (length > maxUploadBytes + MULTIPART_OVERHEAD) {
            // Refused before a byte of the body is read; the parser also counts while streaming (chunked bodies).
            throw tooLarge(maxUploadBytes);
        }
        // The owner's scene limit and storage quota, also before the body is read (413/422 with their types).
        scenes.checkQuota(user.id(), length - MULTIPART_OVERHEAD);
        // A client that retries after a lost answer sends the same key and gets the scene its first try made.
        String idempotencyKey = ctx.header("Idempotency-Key");
        if (idempotencyKey != null && !idempotencyKey.matches("[\\x21-\\x7e]{1,200}")) {
            throw ApiException.invalidField("Idempotency-Key", "Idempotency-Key must be 1..200 printable ASCII characters");
        }
        // Options in the query are checked before the body is read; those in an 'options' field once it is parsed.
        dev.vsa.processing.ProcessingOptions queryOptions = ProcessingOptionsApi.fromQuery(ctx);
        Scene scene;
        try (UploadSpool spool = scenes.openSpool(user.id())) { // on close, deletes what the service did not take over
            List<UploadPart> parts = spool(ctx, spool);
            scene = scenes.upload(user.id(), parts, idempotencyKey, options.atUpload(ctx, queryOptions));
        }
        created(ctx, scene);
    }

    /** The answer to a new upload, whichever way its bytes came: 201, the scene and its job, and where to follow them. */
    void created(Context ctx, Scene scene) {
        ObjectNode o = json.object();
        o.put("scene_id", scene.id().toString());
        o.put("job_id", scene.latestJobId().toString());
        o.put("filename", scene.originalFilename());
        o.put("format", scene.format());
        o.put("size", scene.size());
        o.put("status", scene.status().id());
        o.set("processing_options", scene.processingOptions());
        o.put("status_url", base(ctx) + "/scenes/" + scene.id());
        o.put("job_url", base(ctx) + "/jobs/" + scene.latestJobId());
        ctx.header("Location", "/scenes/" + scene.id());
        json.write(ctx, 201, o);
    }

    /** The 413 problem, naming the limit (a user who only learns "too large" cannot tell how much to cut). */
    static ApiException tooLarge(long limit) {
        return new ApiException(413, "payload-too-large", "Payload too large", "the upload is larger than this server's "
                + "limit of " + humanBytes(limit) + " (" + limit + " bytes; vsa serve --upload-max-bytes)");
    }

    static String humanBytes(long n) {
        String[] units = {"bytes", "KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? n + " bytes" : String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    void list(Context ctx) {
        User user = auth.require(ctx, Scope.SCENES_READ);
        int limit = limit(ctx, 20, 100);
        ScenePage page;
        try {
            page = scenes.list(user.id(), limit, ctx.queryParam("cursor"), filter(ctx));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("bad-request", e.getMessage());
        }
        ObjectNode o = json.object();
        ArrayNode items = o.putArray("items");
        for (Scene s : page.items()) {
            items.add(summary(ctx, s));
        }
        o.put("next_cursor", page.nextCursor());
        json.write(ctx, 200, o);
    }

    /** {@code ?status=&format=&tag=&q=}: each narrows the listing. */
    private static SceneFilter filter(Context ctx) {
        SceneStatus status = null;
        String st = ctx.queryParam("status");
        if (st != null) {
            try {
                status = SceneStatus.valueOf(st.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("bad-request", "status must be one of uploaded, processing, ready, "
                        + "invalid, failed; was '" + st + "'");
            }
        }
        return new SceneFilter(status, blankToNull(ctx.queryParam("format")), blankToNull(ctx.queryParam("tag")),
                blankToNull(ctx.queryParam("q")));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** {@code PATCH /scenes/{id}}: name, description, tags (absent fields stay; {@code "name": ""} clears it). */
    void patch(Context ctx) {
        User user = auth.require(ctx, Scope.SCENES_WRITE);
        UUID id = uuid(ctx.pathParam("id"), "scene");
        ObjectNode body = json.readObject(ctx);
        String name = optionalText(body, "name");
        String description = optionalText(body, "description");
        List<String> tags = null;
        JsonNode t = body.get("tags");
        if (t != null && !t.isNull()) {
            if (!t.isArray()) {
                throw ApiException.invalidField("tags", "tags must be an array of strings");
            }
            tags = new ArrayList<>();
            for (JsonNode n : t) {
                if (!n.isTextual()) {
                    throw ApiException.invalidField("tags", "tags must be an array of strings");
                }
                tags.add(n.asText());
            }
        }
        if (name == null && description == null && tags == null) {
            throw ApiException.invalidField("name", "send at least one of name, description, tags");
        }
        writeScene(ctx, user, scenes.update(user.id(), id, new SceneDetails(name, description, tags))
                .orElseThrow(() -> ApiException.notFound("scene " + id)));
    }

    private static String optionalText(ObjectNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw ApiException.invalidField(field, field + " must be a string");
        }
        return n.asText();
    }

    void get(Context ctx) {
        User user = auth.require(ctx, Scope.SCENES_READ);
        writeScene(ctx, user, scene(user, ctx));
    }

    private void writeScene(Context ctx, User user, Scene s) {
        json.write(ctx, 200, sceneJson(ctx, s, base(ctx) + "/scenes/" + s.id(),
                id -> jobs.find(user, id)));
    }

    /**
     * A scene's full JSON; its files' URLs start with {@code fileBase}, and {@code job} finds the latest job's
     * progress (for a scene still on its way).
     */
    ObjectNode sceneJson(Context ctx, Scene s, String fileBase, java.util.function.Function<UUID, Optional<Job>> job) {
        ObjectNode o = summary(ctx, s);
        o.put("description", s.description());
        o.put("sha256", s.sha256());
        o.put("updated_at", str(s.updatedAt()));
        // Only a scene still on its way needs its job read for progress; a finished one is at 100 (one query less).
        boolean settled = s.status() == SceneStatus.READY || s.status() == SceneStatus.INVALID
                || s.status() == SceneStatus.FAILED;
        Optional<Job> latest = s.latestJobId() == null || settled ? Optional.empty() : job.apply(s.latestJobId());
        o.put("job_id", s.latestJobId() == null ? null : s.latestJobId().toString());
        o.put("progress", latest.map(Job::progress).orElse(settled ? 100 : 0));
        o.put("stage", latest.map(Job::stage).orElse(settled ? "done" : null));
        // As stored (compact JSON text), not parsed and encoded again.
        raw(o, "metadata", s.metadataJson());
        raw(o, "validation", s.validationJson());
        o.put("error", s.error());
        o.set("processing_options", s.processingOptions());
        ArrayNode files = o.putArray("files");
        for (SceneFile f : s.files()) {
            ObjectNode fo = files.addObject();
            fo.put("name", f.name());
            fo.put("kind", f.kind().id());
            fo.put("size", f.size());
            fo.put("content_type", f.contentType());
            fo.put("url", fileBase + "/files/" + encodePath(f.name()));
        }
        return o;
    }

    private static void raw(ObjectNode o, String field, String json) {
        if (json == null) {
            o.putNull(field);
        } else {
            o.putRawValue(field, new RawValue(json));
        }
    }

    void delete(Context ctx) {
        User user = auth.require(ctx, Scope.SCENES_WRITE);
        UUID id = uuid(ctx.pathParam("id"), "scene");
        if (!scenes.delete(user.id(), id)) {
            throw ApiException.notFound("scene " + id);
        }
        ctx.status(204);
    }

    void download(Context ctx) throws IOException {
        User user = auth.require(ctx, Scope.SCENES_READ);
        sendFile(ctx, user.id(), uuid(ctx.pathParam("id"), "scene"), ctx.pathParam("name"));
    }

    /** Answers with one file of the owner's scene: a redirect to the bucket, or the (ranged) bytes. */
    void sendFile(Context ctx, UUID ownerId, UUID id, String name) throws IOException {
        Range range = Range.parse(ctx.header("Range"));
        ByteRange wanted = range == null || range.suffix() ? ByteRange.ALL : range.asByteRange();
        FileDownload d;
        try {
            // ?redirect=false: the bytes through this server, never a redirect to the bucket (the web page's
            // viewer reads files with fetch(), which the page's CSP and CORS keep to this origin).
            d = scenes.openFile(ownerId, id, name, wanted, !"false".equals(ctx.queryParam("redirect")))
                    .orElseThrow(() -> ApiException.notFound("file " + name + " of scene " + id));
        } catch (IllegalArgumentException e) {
            throw rangeNotSatisfiable(-1);
        }
        switch (d) {
            case FileDownload.Redirect r -> {
                ctx.header("Cache-Control", "no-store");
                ctx.redirect(r.url().toString(), io.javalin.http.HttpStatus.FOUND);
            }
            case FileDownload.Stream s -> stream(ctx, s, range);
        }
    }

    private static void stream(Context ctx, FileDownload.Stream s, Range range) throws IOException {
        try (InputStream in = s.content()) {
            long offset = s.offset();
            long length = s.length();
            if (range != null && range.suffix()) {
                long n = Math.min(range.last(), s.total());
                in.skipNBytes(s.total() - n);
                offset = s.total() - n;
                length = n;
            }
            if (range != null && offset >= s.total() && s.total() > 0) {
                throw rangeNotSatisfiable(s.total());
            }
            // A range that reaches past the end is cut to the end: its Content-Range names the bytes sent.
            boolean partial = range != null;
            ctx.status(partial ? 206 : 200);
            ctx.header("Accept-Ranges", "bytes");
            ctx.header("Content-Type", s.file().contentType());
            ctx.header("Content-Length", Long.toString(length));
            ctx.header("Content-Disposition", "attachment; filename=\"" + safeName(s.file().name()) + "\"");
            if (partial) {
                ctx.header("Content-Range", "bytes " + offset + "-" + (offset + length - 1) + "/" + s.total());
            }
            ctx.disableCompression();
            OutputStream out = ctx.res().getOutputStream();
            in.transferTo(out);
            out.flush();
        }
    }

    void convert(Context ctx) {
        User user = auth.require(ctx, Scope.SCENES_WRITE);
        UUID id = uuid(ctx.pathParam("id"), "scene");
        ObjectNode body = json.readObject(ctx);
        String to = JsonIo.requiredText(body, "to");
        ConversionTarget target;
        try {
            target = ConversionTarget.parse(to);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidField("to", e.getMessage());
        }
        Job job;
        try {
            job = scenes.requestConversion(user.id(), id, target).orElseThrow(() -> ApiException.notFound("scene " + id));
        } catch (IllegalStateException e) {
            throw new ApiException(409, "conflict", "Scene not ready", e.getMessage());
        }
        ObjectNode o = json.object();
        o.put("job_id", job.id().toString());
        o.put("scene_id", id.toString());
        o.put("to", target.id());
        o.put("job_url", base(ctx) + "/jobs/" + job.id());
        json.write(ctx, 202, o);
    }

    private Scene scene(User user, Context ctx) {
        UUID id = uuid(ctx.pathParam("id"), "scene");
        return scenes.get(user.id(), id).orElseThrow(() -> ApiException.notFound("scene " + id));
    }

    private ObjectNode summary(Context ctx, Scene s) {
        ObjectNode o = json.object();
        o.put("id", s.id().toString());
        o.put("filename", s.originalFilename());
        o.put("name", s.displayName());
        ArrayNode tags = o.putArray("tags");
        s.tags().forEach(tags::add);
        o.put("format", s.format());
        o.put("size", s.size());
        o.put("status", s.status().id());
        o.put("created_at", str(s.createdAt()));
        o.put("url", base(ctx) + "/scenes/" + s.id());
        o.put("latest_job_id", s.latestJobId() == null ? null : s.latestJobId().toString());
        // The preview step names its small picture thumbnail.<ext>; the list shows it when there is one.
        o.put("thumbnail_url", s.files().stream().map(SceneFile::name).filter(n -> n.startsWith("thumbnail."))
                .findFirst().map(n -> base(ctx) + "/scenes/" + s.id() + "/files/" + encodePath(n)).orElse(null));
        return o;
    }

    /**
     * The {@code limit} query parameter of a list: {@code byDefault} when absent.
     *
     * @throws ApiException 400 {@code bad-request} unless it is a whole number 1..{@code max}
     */
    static int limit(Context ctx, int byDefault, int max) {
        String l = ctx.queryParam("limit");
        if (l == null) {
            return byDefault;
        }
        int limit;
        try {
            limit = Integer.parseInt(l);
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > max) {
            throw ApiException.badRequest("bad-request", "limit must be 1.." + max);
        }
        return limit;
    }

    /** An id that is not a UUID names nothing: 404, like an id of someone else's scene. */
    static UUID uuid(String s, String what) {
        try {
            return UUID.fromString(s);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound(what + " " + s);
        }
    }

    /** {@link #baseUrl}'s answer, which does not change once the server is up (a scene read used it 3 times). */
    private volatile String base;

    String base(Context ctx) {
        String b = base;
        if (b == null) {
            b = baseUrl.get();
            base = b;
        }
        return b;
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }

    static String encodePath(String name) {
        // Most names (original/scene.ply, scene.spz) need no escape: answered as they are, without URLEncoder.
        boolean plain = true;
        for (int i = 0; i < name.length() && plain; i++) {
            char c = name.charAt(i);
            plain = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-'
                    || c == '_' || c == '*' || c == '/';
        }
        if (plain) {
            return name;
        }
        return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20").replace("%2F", "/");
    }

    private static String safeName(String name) {
        String base = name.substring(name.lastIndexOf('/') + 1);
        return base.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    static ApiException rangeNotSatisfiable(long total) {
        return new ApiException(416, "range-not-satisfiable", "Range not satisfiable",
                "the requested range is outside the file", java.util.Map.of(),
                total >= 0 ? java.util.Map.of("Content-Range", "bytes */" + total) : java.util.Map.of());
    }

    /** One {@code bytes=} range; several ranges are not supported (the whole file is sent, as RFC 9110 allows). */
    record Range(long first, long last, boolean suffix) {
        /**
         * The bytes asked for: a last position at or past the end means "to the end" (RFC 9110 section 14.1.2),
         * also one as large as {@code Long.MAX_VALUE}, whose length would not fit in a long.
         */
        ByteRange asByteRange() {
            long length = last < 0 || last == Long.MAX_VALUE ? -1 : last - first + 1;
            return new ByteRange(first, length);
        }

        static Range parse(String header) {
            if (header == null) {
                return null;
            }
            String h = header.trim();
            if (!h.startsWith("bytes=") || h.contains(",")) {
                return null;
            }
            String spec = h.substring(6).trim();
            int dash = spec.indexOf('-');
            if (dash < 0) {
                throw rangeNotSatisfiable(-1);
            }
            try {
                if (dash == 0) {
                    long n = Long.parseLong(spec.substring(1));
                    if (n <= 0) {
                        throw rangeNotSatisfiable(-1);
                    }
                    return new Range(0, n, true);
                }
                long first = Long.parseLong(spec.substring(0, dash));
                String rest = spec.substring(dash + 1);
                long last = rest.isEmpty() ? -1 : Long.parseLong(rest);
                if (last >= 0 && last < first) {
                    throw rangeNotSatisfiable(-1);
                }
                return new Range(first, last, false);
            } catch (NumberFormatException e) {
                throw rangeNotSatisfiable(-1);
            }
        }
    }

    /**
     * Reads the multipart body with Jetty's parser, which writes each file part straight from its network buffers
     * to a file in the spool (small parts stay in memory), then moves the parts named {@code file} to files of
     * their own there. Plain form fields are ignored.
     */
    private List<UploadPart> spool(Context ctx, UploadSpool spool) throws IOException {
        Path dir = spool.dir();
        // Jetty's parser waits for body bytes in a way an interrupt does not end: a stalled upload (too slow or
        // idle, as processing's spool watcher decides) gets its connection closed, which fails that wait.
        org.eclipse.jetty.server.Request jetty = ServletContextRequest.getServletContextRequest(ctx.req());
        if (jetty != null) {
            spool.onStall(() -> jetty.getConnectionMetaData().getConnection().getEndPoint()
                    .close(new java.util.concurrent.TimeoutException("upload too slow")));
        }
        ctx.req().setAttribute(MULTIPART_CONFIG, new MultipartConfigElement(
                dir.toString(), maxUploadBytes, maxUploadBytes + MULTIPART_OVERHEAD, IN_MEMORY_PART_BYTES));
        Collection<Part> parts;
        try {
            parts = ctx.req().getParts();
        } catch (ServletException | IllegalStateException | IOException e) {
            if (spool.stalled()) {
                throw new ApiException(408, "upload-too-slow", "Upload too slow", "the upload sent too little for too "
                        + "long (upload.idle-timeout-seconds, upload.min-bytes-per-second); nothing was stored",
                        Map.of(), Map.of("Connection", "close"));
            }
            if (e instanceof IOException io) {
                throw io;
            }
            throw multipartFailure(e);
        }
        spool.sync();
        List<UploadPart> files = new ArrayList<>();
        for (Part p : parts) {
            if ("file".equals(p.getName()) && p.getSubmittedFileName() != null) {
                Path f = dir.resolve("part-" + files.size());
                p.write(f.toString());
                files.add(UploadPart.ofFile(p.getSubmittedFileName(), p.getContentType(), f));
            }
        }
        return files;
    }

    /** Jetty reports limits and syntax errors as exceptions around an {@link IllegalStateException} or a 400. */
    private ApiException multipartFailure(Exception e) {
        Throwable cause = e;
        while (cause.getCause() != null && !(cause instanceof IllegalStateException)) {
            cause = cause.getCause();
        }
        String why = String.valueOf(cause.getMessage());
        if (why.startsWith("max file size exceeded") || why.startsWith("max length exceeded")) {
            return tooLarge(maxUploadBytes);
        }
        return ApiException.badRequest("bad-request", "malformed multipart body: " + why);
    }
}
