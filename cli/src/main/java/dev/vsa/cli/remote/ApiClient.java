package dev.vsa.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.stream.Stream;

/**
 * A client of the vsa HTTP API (java.net.http + Jackson). Keeps the session in {@link Credentials} and refreshes
 * the access token by itself: shortly before it expires, and once more when the server answers 401.
 */
public final class ApiClient {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Refresh this long before the access token expires, so a request never races the expiry. */
    private static final Duration EARLY = Duration.ofSeconds(30);

    /** A file to send and the name the server should see (a .gltf's resources keep their relative path). */
    public record UploadFile(Path path, String name) {
    }

    private final String server;
    private final Credentials credentials;
    private final HttpClient http;
    private final Clock clock;
    /** A personal access token ({@code VSA_TOKEN}) used instead of the kept session, or null. */
    private final String token;

    public ApiClient(String server, Credentials credentials, HttpClient http, Clock clock) {
        this(server, credentials, http, clock, null);
    }

    /** As above, authenticating every request with {@code token} (a personal access token) when it is not null. */
    public ApiClient(String server, Credentials credentials, HttpClient http, Clock clock, String token) {
        this.server = stripSlash(server);
        this.credentials = credentials;
        this.http = http;
        this.clock = clock;
        this.token = token == null || token.isBlank() ? null : token.strip();
    }

    /** A client with a fresh HttpClient that follows no redirects (downloads follow them without the token). */
    public static ApiClient create(String server, Credentials credentials, String token) {
        HttpClient http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        return new ApiClient(server, credentials, http, Clock.systemUTC(), token);
    }

    public String server() {
        return server;
    }

    public JsonNode signup(String username, String email, String password) throws IOException, RemoteException {
        ObjectNode body = MAPPER.createObjectNode().put("username", username).put("password", password).put("email", email);
        return json(send(post("/auth/signup", body).build()));
    }

    /** Logs in and keeps the tokens. Returns the token response (the caller prints nothing secret from it). */
    public JsonNode login(String username, String password) throws IOException, RemoteException {
        ObjectNode body = MAPPER.createObjectNode().put("username", username).put("password", password);
        JsonNode tokens = json(send(post("/auth/login", body).build()));
        keep(username, tokens);
        return tokens;
    }

    /** Revokes the refresh token on the server (best effort) and forgets the session; false if there was none. */
    public boolean logout() throws IOException, RemoteException {
        Optional<Credentials.Session> s = credentials.get(server);
        if (s.isEmpty()) {
            return false;
        }
        try {
            ObjectNode body = MAPPER.createObjectNode().put("refresh_token", s.get().refreshToken());
            send(post("/auth/logout", body).build());
        } finally {
            credentials.remove(server);
        }
        return true;
    }

    public JsonNode me() throws IOException, RemoteException {
        return json(authorized(() -> get("/me")));
    }

    public JsonNode scenes(int limit, String cursor) throws IOException, RemoteException {
        String q = "/scenes?limit=" + limit + (cursor == null ? "" : "&cursor=" + enc(cursor));
        return json(authorized(() -> get(q)));
    }

    public JsonNode scene(String id) throws IOException, RemoteException {
        return json(authorized(() -> get("/scenes/" + enc(id))));
    }

    public void deleteScene(String id) throws IOException, RemoteException {
        authorized(() -> HttpRequest.newBuilder(uri("/scenes/" + enc(id))).DELETE());
    }

    public JsonNode job(String id) throws IOException, RemoteException {
        return json(authorized(() -> get("/jobs/" + enc(id))));
    }

    public JsonNode convert(String id, String to) throws IOException, RemoteException {
        ObjectNode body = MAPPER.createObjectNode().put("to", to);
        return json(authorized(() -> post("/scenes/" + enc(id) + "/conversions", body)));
    }

    /** {@code POST /scenes/{id}/reprocess}: a new process job with these options (null: the defaults). */
    public JsonNode reprocess(String id, JsonNode options) throws IOException, RemoteException {
        JsonNode body = options == null ? MAPPER.createObjectNode() : options;
        return json(authorized(() -> post("/scenes/" + enc(id) + "/reprocess", body)));
    }

    /** {@code GET /jobs}: recent scene jobs, newest first; {@code sceneId} null for all scenes. */
    public JsonNode jobs(String sceneId, int limit) throws IOException, RemoteException {
        String q = "/jobs?limit=" + limit + (sceneId == null ? "" : "&scene_id=" + enc(sceneId));
        return json(authorized(() -> get(q)));
    }

    /**
     * The full id of the scene whose id starts with {@code idOrPrefix} (at least 4 characters), looked up among
     * the newest 2,000 scenes; a full id is returned as it is.
     *
     * @throws RemoteException 404 when no scene matches, 409 when several do (naming them)
     */
    public String sceneId(String idOrPrefix) throws IOException, RemoteException {
        String p = idOrPrefix.strip().toLowerCase(java.util.Locale.ROOT);
        if (p.length() == 36) {
            return p;
        }
        if (p.length() < 4 || !p.matches("[0-9a-f-]+")) {
            throw new RemoteException(400, "bad-id", "'" + idOrPrefix + "' is not a scene id or the first 4+ characters of one", null);
        }
        List<String> matches = new java.util.ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = scenes(100, cursor);
            for (JsonNode sc : page.path("items")) {
                if (sc.path("id").asText().startsWith(p)) {
                    matches.add(sc.path("id").asText());
                }
            }
            cursor = page.path("next_cursor").isTextual() ? page.path("next_cursor").asText() : null;
        } while (cursor != null && ++pages < 20);
        if (matches.isEmpty()) {
            throw new RemoteException(404, "not-found", "no scene id starts with " + p, null);
        }
        if (matches.size() > 1) {
            throw new RemoteException(409, "ambiguous-id", p + " matches " + matches.size() + " scenes ("
                    + String.join(", ", matches.subList(0, Math.min(5, matches.size()))) + "): give more characters", null);
        }
        return matches.get(0);
    }

    /** {@code GET /tokens}. */
    public JsonNode tokens() throws IOException, RemoteException {
        return json(authorized(() -> get("/tokens")));
    }

    /** {@code POST /tokens}; {@code expiresInDays} null for no expiry. The answer holds the secret. */
    public JsonNode createToken(String name, List<String> scopes, Integer expiresInDays) throws IOException, RemoteException {
        ObjectNode body = MAPPER.createObjectNode().put("name", name);
        scopes.forEach(body.putArray("scopes")::add);
        if (expiresInDays != null) {
            body.put("expires_in_days", expiresInDays);
        }
        return json(authorized(() -> post("/tokens", body)));
    }

    public void revokeToken(String id) throws IOException, RemoteException {
        authorized(() -> HttpRequest.newBuilder(uri("/tokens/" + enc(id))).DELETE()).body().close();
    }

    /** {@code GET /webhooks}. */
    public JsonNode webhooks() throws IOException, RemoteException {
        return json(authorized(() -> get("/webhooks")));
    }

    /** {@code POST /webhooks}; empty {@code events} for all. The answer holds the secret. */
    public JsonNode createWebhook(String url, String description, List<String> events) throws IOException, RemoteException {
        ObjectNode body = MAPPER.createObjectNode().put("url", url).put("description", description == null ? "" : description);
        events.forEach(body.putArray("events")::add);
        return json(authorized(() -> post("/webhooks", body)));
    }

    public void deleteWebhook(String id) throws IOException, RemoteException {
        authorized(() -> HttpRequest.newBuilder(uri("/webhooks/" + enc(id))).DELETE()).body().close();
    }

    /** {@code POST /webhooks/{id}/rotate-secret}: the answer holds the new secret. */
    public JsonNode rotateWebhookSecret(String id) throws IOException, RemoteException {
        return json(authorized(() -> post("/webhooks/" + enc(id) + "/rotate-secret", MAPPER.createObjectNode())));
    }

    /** {@code POST /webhooks/{id}/test}: the queued delivery's id. */
    public JsonNode testWebhook(String id) throws IOException, RemoteException {
        return json(authorized(() -> post("/webhooks/" + enc(id) + "/test", MAPPER.createObjectNode())));
    }

    /** {@code GET /webhooks/{id}/deliveries}. */
    public JsonNode webhookDeliveries(String id, int limit) throws IOException, RemoteException {
        return json(authorized(() -> get("/webhooks/" + enc(id) + "/deliveries?limit=" + limit)));
    }

    /**
     * Uploads one scene (its main file first, then any resources) as one multipart request, streaming the files.
     *
     * @param progress       told the bytes sent so far
     * @param options        processing options, sent as the multipart field {@code options} ahead of the files
     *                       (null: none, the server's defaults)
     * @param idempotencyKey sent as {@code Idempotency-Key}: the server answers a repeat of the same logical upload
     *                       (the request sent again after a token refresh) with the scene the first attempt made
     */
    public JsonNode upload(List<UploadFile> files, LongConsumer progress, JsonNode options, String idempotencyKey)
            throws IOException, RemoteException {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("nothing to upload");
        }
        String boundary = "vsa-" + HexFormat.of().formatHex(random(12));
        List<byte[]> heads = new ArrayList<>();
        byte[] optionsPart = options == null ? new byte[0] : ("--" + boundary + "\r\nContent-Disposition: form-data; "
                + "name=\"options\"\r\nContent-Type: application/json\r\n\r\n" + MAPPER.writeValueAsString(options)
                + "\r\n").getBytes(StandardCharsets.UTF_8);
        long length = optionsPart.length;
        for (UploadFile f : files) {
            byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                    + f.name().replace("\"", "%22").replace("\r", "").replace("\n", "")
                    + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8);
            heads.add(head);
            length += head.length + Files.size(f.path()) + 2;
        }
        byte[] tail = ("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        long total = length + tail.length;
        // Expect: 100-continue: the server answers a body over its limit (413, from Content-Length) before a byte of it
        // is sent. Without it the server's early answer and close arrive while the client still writes the body, and
        // the client reports "HTTP/1.1 header parser received no bytes" instead of the 413.
        HttpResponse<InputStream> r = authorized(() -> HttpRequest.newBuilder(uri("/upload/"))
                .expectContinue(true)
                .header("Idempotency-Key", idempotencyKey)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(
                        () -> body(optionsPart, files, heads, tail, progress)), total)));
        return json(r);
    }

    /** A fresh key for one logical upload: 128 random bits, printable. */
    public static String newIdempotencyKey() {
        return "vsa-" + HexFormat.of().formatHex(random(16));
    }

    private static InputStream body(byte[] optionsPart, List<UploadFile> files, List<byte[]> heads, byte[] tail,
                                    LongConsumer progress) {
        List<InputStream> parts = new ArrayList<>();
        parts.add(new ByteArrayInputStream(optionsPart));
        for (int i = 0; i < files.size(); i++) {
            parts.add(new ByteArrayInputStream(heads.get(i)));
            parts.add(new LazyFile(files.get(i).path()));
            parts.add(new ByteArrayInputStream(new byte[] {'\r', '\n'}));
        }
        parts.add(new ByteArrayInputStream(tail));
        return new Counting(new java.io.SequenceInputStream(Collections.enumeration(parts)), progress);
    }

    /** {@code POST /uploads/direct}: opens an upload whose bytes go straight to the server's bucket (S3 storage). */
    public JsonNode startDirectUpload(String filename, long size, String sha256, Long partSize, JsonNode options)
            throws IOException, RemoteException {
        ObjectNode body = MAPPER.createObjectNode().put("filename", filename).put("size", size).put("sha256", sha256);
        if (partSize != null) {
            body.put("part_size", partSize);
        }
        if (options != null) {
            body.set("options", options);
        }
        return json(authorized(() -> post("/uploads/direct", body)));
    }

    /** {@code POST /uploads/direct/{id}/complete} with the parts' numbers and ETags: the new scene. */
    public JsonNode completeDirectUpload(String id, JsonNode parts) throws IOException, RemoteException {
        ObjectNode body = MAPPER.createObjectNode();
        body.set("parts", parts);
        return json(authorized(() -> post("/uploads/direct/" + enc(id) + "/complete", body)));
    }

    /** {@code DELETE /uploads/direct/{id}}: the bucket frees the parts sent so far. */
    public void abortDirectUpload(String id) throws IOException, RemoteException {
        authorized(() -> HttpRequest.newBuilder(uri("/uploads/direct/" + enc(id))).DELETE()).body().close();
    }

    /**
     * PUTs {@code length} bytes of {@code file} from {@code offset} to a presigned part URL, without our credentials
     * (the URL is its own authority, and a bucket must never see the API's token).
     *
     * @param progress told the bytes of this part sent so far
     * @return the ETag the store answered with
     * @throws RemoteException with type {@code storage} if the store refuses the part
     */
    public String putPart(URI url, Path file, long offset, long length, LongConsumer progress)
            throws IOException, RemoteException {
        HttpResponse<InputStream> r = sendRaw(HttpRequest.newBuilder(url)
                .PUT(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new Counting(new Slice(file, offset, length), progress)), length)).build());
        byte[] body;
        try (InputStream in = r.body()) {
            body = in.readNBytes(4096);
        }
        if (r.statusCode() != 200) {
            String text = new String(body, StandardCharsets.UTF_8);
            java.util.regex.Matcher code = java.util.regex.Pattern.compile("<Code>([^<]*)</Code>").matcher(text);
            throw new RemoteException(r.statusCode(), "storage", "the storage refused a part (" + r.statusCode()
                    + (code.find() ? " " + code.group(1) : "") + ")", null);
        }
        return r.headers().firstValue("ETag").orElseThrow(() -> new IOException("the storage answered a part without an ETag"));
    }

    /**
     * Downloads a scene file to {@code target} (through a temporary file beside it, moved into place at the end).
     * A redirect (S3 storage) is followed without the bearer token: the presigned URL is its own authority.
     *
     * @return the bytes written
     */
    public long download(String sceneId, String name, Path target, LongConsumer progress)
            throws IOException, RemoteException {
        HttpResponse<InputStream> r = authorized(() -> get("/scenes/" + enc(sceneId) + "/files/" + encPath(name)));
        if (r.statusCode() == 302 || r.statusCode() == 303 || r.statusCode() == 307) {
            r.body().close();
            String location = r.headers().firstValue("Location")
                    .orElseThrow(() -> new IOException("redirect without Location"));
            r = sendRaw(HttpRequest.newBuilder(URI.create(server + "/").resolve(location)).GET().build());
            if (r.statusCode() >= 300) {
                r.body().close();
                throw new RemoteException(r.statusCode(), "storage", "the storage refused the download (" + r.statusCode() + ")", null);
            }
        }
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".part");
        try (InputStream in = new Counting(r.body(), progress)) {
            long n = Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            return n;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Follows a job to its end through the server-sent event stream (re-connecting, then polling, if the stream
     * breaks) and returns its final state.
     *
     * @param onProgress told each job state seen on the way
     */
    public JsonNode waitJob(String id, Consumer<JsonNode> onProgress) throws IOException, RemoteException {
        for (int attempt = 0; ; attempt++) {
            try {
                HttpResponse<InputStream> r = authorized(() -> get("/jobs/" + enc(id) + "/events")
                        .header("Accept", "text/event-stream"));
                JsonNode last = readEvents(r, onProgress);
                if (last != null) {
                    return last;
                }
            } catch (IOException e) {
                if (attempt >= 3) {
                    throw e;
                }
            }
            JsonNode j = job(id);
            onProgress.accept(j);
            if (terminal(j)) {
                return j;
            }
            sleep(Duration.ofSeconds(1));
        }
    }

    /** Reads events until {@code end}; returns its job, or null if the stream ended first. */
    private static JsonNode readEvents(HttpResponse<InputStream> r, Consumer<JsonNode> onProgress) throws IOException {
        try (Stream<String> lines = new java.io.BufferedReader(new java.io.InputStreamReader(r.body(),
                StandardCharsets.UTF_8)).lines()) {
            String event = "message";
            StringBuilder data = new StringBuilder();
            for (Iterator<String> it = lines.iterator(); it.hasNext(); ) {
                String line = it.next();
                if (line.isEmpty()) {
                    if (data.length() > 0) {
                        JsonNode job = MAPPER.readTree(data.toString());
                        onProgress.accept(job);
                        if (event.equals("end")) {
                            return job;
                        }
                    }
                    event = "message";
                    data.setLength(0);
                } else if (line.startsWith("event:")) {
                    event = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5).trim());
                }
            }
            return null;
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Whether a job (JSON) will change no more. */
    public static boolean terminal(JsonNode job) {
        String s = job.path("state").asText();
        return s.equals("succeeded") || s.equals("failed") || s.equals("cancelled") || s.equals("deleted");
    }

    // ---- plumbing ----

    /** Builds a request lazily, so it can be re-sent after a token refresh. */
    @FunctionalInterface
    interface RequestFactory {
        HttpRequest.Builder build();
    }

    HttpResponse<InputStream> authorized(RequestFactory factory) throws IOException, RemoteException {
        if (token != null) {
            HttpResponse<InputStream> r = sendRaw(factory.build().header("Authorization", "Bearer " + token).build());
            if (r.statusCode() == 401) {
                r.body().close();
                throw new RemoteException(401, "unauthorized", "the token in VSA_TOKEN is invalid, expired or revoked", null);
            }
            return check(r);
        }
        Optional<Credentials.Session> kept = credentials.get(server);
        if (kept.isEmpty()) {
            throw notLoggedIn();
        }
        Credentials.Session s = kept.get();
        if (s.accessExpiresAt().minus(EARLY).isBefore(clock.instant())) {
            s = refresh(s);
        }
        HttpResponse<InputStream> r = sendRaw(factory.build().header("Authorization", "Bearer " + s.accessToken()).build());
        if (r.statusCode() == 401) {
            r.body().close();
            s = refresh(s);
            r = sendRaw(factory.build().header("Authorization", "Bearer " + s.accessToken()).build());
        }
        return check(r);
    }

    private Credentials.Session refresh(Credentials.Session s) throws IOException, RemoteException {
        ObjectNode body = MAPPER.createObjectNode().put("refresh_token", s.refreshToken());
        HttpResponse<InputStream> r = sendRaw(post("/auth/refresh", body).build());
        if (r.statusCode() == 401) {
            r.body().close();
            credentials.remove(server);
            throw new RemoteException(401, "session-expired", "the session has expired: run 'vsa login' again", null);
        }
        return keep(s.username(), json(check(r)));
    }

    private Credentials.Session keep(String username, JsonNode tokens) throws IOException {
        Credentials.Session s = new Credentials.Session(username, tokens.path("access_token").asText(),
                clock.instant().plusSeconds(tokens.path("expires_in").asLong(0)), tokens.path("refresh_token").asText());
        credentials.put(server, s);
        return s;
    }

    /**
     * "Not logged in", once the server is known to answer: with nothing listening the user needs "cannot reach"
     * (an {@link IOException}, exit 3), not a login. Names the servers the user does have a login for.
     */
    private RemoteException notLoggedIn() throws IOException {
        sendRaw(HttpRequest.newBuilder(uri("/healthz")).timeout(Duration.ofSeconds(10)).GET().build()).body().close();
        List<String> others = credentials.servers();
        String hint = others.isEmpty() ? "" : " (you are logged in to " + String.join(", ", others)
                + "; choose it with --server or VSA_SERVER)";
        return new RemoteException(0, "not-logged-in", "not logged in to " + server + ": run 'vsa login' first" + hint,
                null);
    }

    private HttpResponse<InputStream> send(HttpRequest request) throws IOException, RemoteException {
        return check(sendRaw(request));
    }

    private HttpResponse<InputStream> sendRaw(HttpRequest request) throws IOException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted");
        } catch (java.net.ConnectException e) {
            throw new java.net.ConnectException("cannot reach " + server + ": connection refused (is 'vsa serve' running?)");
        }
    }

    /** Turns an error status into a {@link RemoteException} from its problem body. */
    private static HttpResponse<InputStream> check(HttpResponse<InputStream> r) throws IOException, RemoteException {
        if (r.statusCode() < 400) {
            return r;
        }
        byte[] body;
        try (InputStream in = r.body()) {
            body = in.readNBytes(64 * 1024);
        }
        String type = null;
        String detail = "HTTP " + r.statusCode();
        String field = null;
        try {
            JsonNode p = MAPPER.readTree(body);
            if (p != null && p.isObject()) {
                String t = p.path("type").asText("");
                type = t.isEmpty() ? null : t.substring(t.lastIndexOf('/') + 1);
                detail = p.path("detail").asText(p.path("title").asText(detail));
                field = p.path("field").asText(null);
            }
        } catch (IOException notJson) {
            // keep the status line
        }
        if (r.statusCode() == 429) {
            detail += r.headers().firstValue("Retry-After").map(s -> " (retry after " + s + " s)").orElse("");
        }
        throw new RemoteException(r.statusCode(), type, detail, field);
    }

    static JsonNode json(HttpResponse<InputStream> r) throws IOException {
        try (InputStream in = r.body()) {
            byte[] b = in.readAllBytes();
            return b.length == 0 ? MAPPER.createObjectNode() : MAPPER.readTree(b);
        }
    }

    private HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(uri(path)).GET();
    }

    private HttpRequest.Builder post(String path, JsonNode body) {
        try {
            return HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(MAPPER.writeValueAsBytes(body)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    URI uri(String path) {
        return URI.create(server + path);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String encPath(String s) {
        return enc(s).replace("%2F", "/");
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }

    private static void sleep(Duration d) throws IOException {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted");
        }
    }

    /** Opens its file on first read, so a body of many files holds one descriptor at a time. */
    private static final class LazyFile extends InputStream {
        private final Path path;
        private InputStream in;

        LazyFile(Path path) {
            this.path = path;
        }

        private InputStream in() throws IOException {
            if (in == null) {
                in = Files.newInputStream(path);
            }
            return in;
        }

        @Override
        public int read() throws IOException {
            return in().read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in().read(b, off, len);
            if (n < 0) {
                close();
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            if (in != null) {
                in.close();
            }
        }
    }

    /** {@code length} bytes of a file from {@code offset}, opened on first read. */
    private static final class Slice extends InputStream {
        private final Path path;
        private final long offset;
        private long left;
        private InputStream in;

        Slice(Path path, long offset, long length) {
            this.path = path;
            this.offset = offset;
            this.left = length;
        }

        private InputStream in() throws IOException {
            if (in == null) {
                in = java.nio.channels.Channels.newInputStream(java.nio.channels.FileChannel.open(path).position(offset));
            }
            return in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in().read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new java.io.EOFException(path + " is shorter than when the upload began");
            }
            left -= n;
            return n;
        }

        @Override
        public void close() throws IOException {
            if (in != null) {
                in.close();
            }
        }
    }

    /** Reports bytes read to a callback. */
    static final class Counting extends FilterInputStream {
        private final LongConsumer progress;
        private long count;

        Counting(InputStream in, LongConsumer progress) {
            super(in);
            this.progress = progress;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                progress.accept(++count);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
                progress.accept(count);
            }
            return n;
        }
    }
}
