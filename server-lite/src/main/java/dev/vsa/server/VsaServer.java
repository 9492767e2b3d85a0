package dev.vsa.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vsa.processing.DuplicateException;
import dev.vsa.processing.InvalidRequestException;
import dev.vsa.processing.Metrics;
import dev.vsa.processing.Limits;
import dev.vsa.processing.Processing;
import dev.vsa.processing.ProcessingException;
import dev.vsa.processing.RequestContext;
import dev.vsa.processing.UploadRejectedException;
import dev.vsa.processing.WorkerStatus;
import dev.vsa.server.auth.AttemptThrottle;
import dev.vsa.server.auth.HashBudget;
import dev.vsa.server.auth.Authenticator;
import dev.vsa.server.auth.LoginThrottle;
import dev.vsa.server.auth.PasswordHasher;
import dev.vsa.server.auth.TokenService;
import dev.vsa.server.http.ApiException;
import dev.vsa.server.http.JsonIo;
import dev.vsa.server.http.Observability;
import dev.vsa.server.http.ProblemErrorHandler;
import dev.vsa.server.http.Problems;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpResponseException;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The vsa HTTP API (Javalin on Jetty 12, a virtual thread per request) over a started {@link Processing}.
 * {@link #start} binds and returns; {@link #close} drains in-flight requests (up to the configured grace), then
 * stops. The caller owns {@code processing} and closes it after the server.
 */
public final class VsaServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VsaServer.class);
    /** The size of the buffers Jetty reads request bytes into (see {@link #start}). */
    static final int INPUT_BUFFER_BYTES = 256 * 1024;

    /** One registered route, as the OpenAPI document must list it. */
    public record Route(String method, String path) {
        /** Whether it serves static files (the web app's assets, Swagger UI's), which the OpenAPI document omits. */
        public boolean staticAsset() {
            return path.startsWith("/app/") || path.startsWith("/docs/swagger-ui/");
        }
    }

    private final ServerConfig config;
    private final Javalin app;
    private final List<Route> routes;
    private final JobApi jobApi;
    private final PasswordHasher hasher;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean draining;

    private VsaServer(ServerConfig config, Javalin app, List<Route> routes, JobApi jobApi, PasswordHasher hasher) {
        this.config = config;
        this.app = app;
        this.routes = List.copyOf(routes);
        this.jobApi = jobApi;
        this.hasher = hasher;
    }

    /**
     * Builds the API and starts listening on {@code config.host():config.port()}.
     *
     * @throws IllegalStateException if the port cannot be bound
     */
    public static VsaServer start(ServerConfig config, Processing processing) {
        return start(config, processing, Clock.systemUTC());
    }

    /** As {@link #start(ServerConfig, Processing)} with a clock (tests make expired tokens with it). */
    public static VsaServer start(ServerConfig config, Processing processing, Clock clock) {
        requireBindable(config.host(), config.port());
        ObjectMapper mapper = new ObjectMapper();
        JsonIo json = new JsonIo(mapper);
        TokenService tokens = new TokenService(config.jwtSecret(), config.jwtIssuer(), config.jwtAudience(),
                config.accessTtl(), clock);
        Authenticator auth = new Authenticator(tokens, processing.users(), processing.tokens());
        LoginThrottle throttle = new LoginThrottle(config.loginMaxPerUser(), config.loginMaxPerAddress(),
                config.loginWindow(), clock);
        Limits limits = processing.config().limits();
        processing.servesApi(); // its workers, if any, yield the CPU to requests
        PasswordHasher hasher = new PasswordHasher(config.bcryptCost(), limits.hashThreads(), limits.hashQueue(),
                limits.backgroundNice(), limits.backgroundIdle(), limits.hashCpuMillicores() == 0 ? null
                        : new HashBudget(limits.hashCpuMillicores(), System::nanoTime), limits.hashTimeout());
        // The hashing pool as operators see it: busy threads, waiting hashes, and refusals (429 busy).
        MeterRegistry registry = processing.metrics().registry();
        Gauge.builder("vsa.auth.hash.active", hasher, PasswordHasher::active)
                .description("Password hashes being computed").register(registry);
        Gauge.builder("vsa.auth.hash.queued", hasher, PasswordHasher::queued)
                .description("Password hashes waiting for a thread").register(registry);
        FunctionCounter.builder("vsa.auth.hash.rejected", hasher, PasswordHasher::rejected)
                .description("Password hashes refused because the pool was full (429 busy)").register(registry);
        FunctionCounter.builder("vsa.auth.hash.timed_out", hasher, PasswordHasher::timedOut)
                .description("Password hashes not done within auth.hash-timeout-seconds (429 busy)").register(registry);
        AuthApi authApi = new AuthApi(processing.users(), hasher, tokens, throttle,
                new AttemptThrottle(limits.signupWindow(), clock), limits.signupMaxPerAddress(), auth, json,
                config.refreshTtl(), clock);
        JobApi jobApi = new JobApi(processing.jobs(), auth, json);
        WebhookApi webhookApi = new WebhookApi(processing.webhooks(), auth, json);
        TokenApi tokenApi = new TokenApi(processing.tokens(), auth, json, clock);
        VsaServer[] self = new VsaServer[1];
        SceneApi sceneApi = new SceneApi(processing.scenes(), auth, json, jobApi, processing.config().maxUploadBytes(),
                () -> config.publicUrl() != null ? config.publicUrl() : self[0].baseUrl());
        TusApi tusApi = new TusApi(processing.resumableUploads(), auth,
                () -> config.publicUrl() != null ? config.publicUrl() : self[0].baseUrl());
        ShareApi shareApi = new ShareApi(processing.shares(), processing.scenes(), sceneApi, auth, json, clock);
        DirectUploadApi directApi = new DirectUploadApi(processing.directUploads(), sceneApi, auth, json);
        byte[] openapi = resource("openapi.json");
        SessionApi sessionApi = new SessionApi(authApi, processing.users(), tokens, config.refreshTtl(),
                config.publicUrl());
        WebApp webApp = new WebApp();

        List<Route> routes = new ArrayList<>();
        Javalin app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.concurrency.useVirtualThreads = true;
            // Jetty reads request bodies in pieces of this size (8 KiB by default), and its multipart parser
            // writes upload parts to disk straight from them: larger pieces mean far fewer wake-ups and system
            // calls (a 1 GiB upload: 1.25-1.5 s with the default, 0.7-0.8 s with 256 KiB, bench/server-bench.sh).
            // Jetty takes them from a pool for a read and gives them back once parsed.
            cfg.jetty.modifyHttpConfiguration(http -> http.setInputBufferSize(INPUT_BUFFER_BYTES));
            // Jetty's default buffer pool keeps buffers of at most 64 KiB: each read of a request into a 256 KiB
            // buffer allocated a new direct buffer, zeroed it and dropped it (bench/auth-load.sh: 7% of the request
            // threads' CPU, every small request paid it). This pool keeps them, within Jetty's usual bound (an
            // eighth of the heap, for direct and for heap buffers). The connector is the one Javalin would add.
            cfg.jetty.addConnector((server, http) -> {
                ServerConnector c = new ServerConnector(server, null, null,
                        new ArrayByteBufferPool(0, 4096, INPUT_BUFFER_BYTES), -1, -1, new HttpConnectionFactory(http));
                c.setHost(config.host());
                c.setPort(config.port());
                return c;
            });
            // Jetty's own error answers (400 for a malformed request, 431, 413, ...) as problem+json too.
            cfg.jetty.modifyServer(server -> server.setErrorHandler(new ProblemErrorHandler()));
            cfg.http.defaultContentType = "application/json";
            cfg.router.ignoreTrailingSlashes = false;
            // A known path asked with a method it has no route for is 405 with Allow (below), for every route.
            cfg.http.prefer405over404 = true;
            // Every handler the router gets, however it was added (R below or cfg.routes directly), is a route the
            // OpenAPI document must list unless it serves static files (MetaApiTest checks).
            cfg.events.handlerAdded(h -> {
                if (h.getHttpMethod().isHttpMethod()) {
                    routes.add(new Route(h.getHttpMethod().name(), R.openApiPath(h.getPath())));
                }
            });
            R r = new R(cfg, routes);
            r.get("/healthz", ctx -> json.write(ctx, 200, Map.of("status", "ok")));
            r.get("/readyz", ctx -> ready(ctx, json, processing, self[0]));
            r.get("/metrics", ctx -> ctx.contentType(Metrics.CONTENT_TYPE).result(processing.metrics().scrape()));
            r.get("/openapi.json", ctx -> ctx.contentType("application/json").result(openapi));
            r.get("/docs", webApp::docs);
            r.get("/", webApp::index);
            cfg.routes.get("/app/<path>", webApp::asset); // static assets: not API routes, not in the OpenAPI document
            cfg.routes.get("/docs/swagger-ui/{version}/<path>", webApp::swaggerAsset);
            r.post("/auth/signup", authApi::signup);
            r.post("/auth/login", authApi::login);
            r.post("/auth/refresh", authApi::refresh);
            r.post("/auth/logout", authApi::logout);
            r.post("/auth/session", sessionApi::create);
            r.post("/auth/session/refresh", sessionApi::refresh);
            r.delete("/auth/session", sessionApi::delete);
            r.get("/me", authApi::me);
            r.post("/upload/", sceneApi::upload);
            r.post("/upload", sceneApi::upload);
            r.options(TusApi.PATH, tusApi::options);
            r.post(TusApi.PATH, tusApi::create);
            r.options(TusApi.PATH + "/{id}", tusApi::options);
            r.head(TusApi.PATH + "/{id}", tusApi::head);
            r.patch(TusApi.PATH + "/{id}", tusApi::patch);
            r.delete(TusApi.PATH + "/{id}", tusApi::delete);
            r.post("/uploads/direct", directApi::start);
            r.post("/uploads/direct/{id}/complete", directApi::complete);
            r.delete("/uploads/direct/{id}", directApi::abort);
            r.get("/scenes", sceneApi::list);
            r.get("/scenes/{id}", sceneApi::get);
            r.patch("/scenes/{id}", sceneApi::patch);
            r.delete("/scenes/{id}", sceneApi::delete);
            r.get("/scenes/{id}/files/<name>", sceneApi::download);
            r.post("/scenes/{id}/conversions", sceneApi::convert);
            r.post("/scenes/{id}/reprocess", sceneApi.options::reprocess);
            r.post("/scenes/{id}/shares", shareApi::create);
            r.get("/scenes/{id}/shares", shareApi::list);
            r.delete("/scenes/{id}/shares/{share}", shareApi::revoke);
            r.get("/s/{token}", shareApi::view);
            r.get("/s/{token}/files/<name>", shareApi::download);
            r.get("/jobs", jobApi::list);
            r.get("/jobs/{id}", jobApi::get);
            r.get("/jobs/{id}/events", jobApi::events);
            r.post("/tokens", tokenApi::create);
            r.get("/tokens", tokenApi::list);
            r.delete("/tokens/{id}", tokenApi::revoke);
            r.post("/webhooks", webhookApi::create);
            r.get("/webhooks", webhookApi::list);
            r.get("/webhooks/{id}", webhookApi::get);
            r.delete("/webhooks/{id}", webhookApi::delete);
            r.post("/webhooks/{id}/rotate-secret", webhookApi::rotate);
            r.post("/webhooks/{id}/test", webhookApi::test);
            r.get("/webhooks/{id}/deliveries", webhookApi::deliveries);

            Observability.install(cfg, processing.metrics().registry());
            cfg.routes.before(ctx -> {
                self[0].inFlight.incrementAndGet();
                // Downloads carry users' bytes: never let a browser sniff them into something executable.
                ctx.header("X-Content-Type-Options", "nosniff");
            });
            cfg.routes.after(ctx -> self[0].inFlight.decrementAndGet());
            cfg.routes.exception(ApiException.class, (e, ctx) -> Problems.write(ctx, mapper, e));
            cfg.routes.exception(DuplicateException.class, (e, ctx) -> Problems.write(ctx, mapper,
                    new ApiException(409, "duplicate", "Already taken", e.field() + " is already taken",
                            Map.of("field", e.field()), Map.of())));
            cfg.routes.exception(InvalidRequestException.class, (e, ctx) -> Problems.write(ctx, mapper,
                    ApiException.invalidField(e.field(), e.getMessage())));
            cfg.routes.exception(UploadRejectedException.class, (e, ctx) -> Problems.write(ctx, mapper, rejected(e)));
            cfg.routes.exception(ProcessingException.class, (e, ctx) -> {
                LOG.warn("{} {}: {}", ctx.method(), ctx.path(), e.toString());
                Problems.write(ctx, mapper, unavailable(e.getMessage()));
            });
            cfg.routes.exception(HttpResponseException.class, (e, ctx) -> Problems.write(ctx, mapper,
                    e.getStatus() == 405 ? methodNotAllowed(ctx, e.getDetails())
                    : new ApiException(e.getStatus(), slugOf(e.getStatus()), e.getMessage(),
                            e.getStatus() == 404 ? "no such route: " + ctx.method() + " " + ctx.path() : e.getMessage())));
            cfg.routes.exception(Exception.class, (e, ctx) -> {
                if (clientGone(e)) {
                    LOG.debug("{} {}: client went away", ctx.method(), ctx.path());
                    ctx.status(499);
                    return;
                }
                // One line with the stack trace for the operator; for the client only the id to quote.
                String requestId = RequestContext.get();
                LOG.error("{} {} failed (request {})", ctx.method(), ctx.path(), requestId, e);
                Problems.write(ctx, mapper, new ApiException(500, "internal", "Internal error",
                        "the server failed; the log has the details under this request id",
                        requestId == null ? Map.of() : Map.<String, Object>of("request_id", requestId), Map.of()));
            });
            cfg.routes.error(404, "*", ctx -> {
                if (!Problems.written(ctx)) {
                    Problems.write(ctx, mapper, new ApiException(404, "not-found", "Not found",
                            "no such route: " + ctx.method() + " " + ctx.path()));
                }
            });
            cfg.routes.error(405, "*", ctx -> {
                if (!Problems.written(ctx)) {
                    Problems.write(ctx, mapper, new ApiException(405, "method-not-allowed", "Method not allowed",
                            ctx.method() + " is not allowed on " + ctx.path()));
                }
            });
        });
        VsaServer server = new VsaServer(config, app, routes, jobApi, hasher);
        self[0] = server;
        app.start(config.host(), config.port());
        LOG.info("vsa API listening on http://{}:{}", config.host(), app.port());
        return server;
    }

    /**
     * Refuses an address that cannot be bound (a port in use, a privileged one, an unknown host) before anything is
     * built: Javalin would log "Failed to start Javalin" at ERROR on its own before throwing, a second line beside the
     * caller's one. A port taken between this check and the start is still refused, by Javalin.
     *
     * @throws IllegalStateException saying why
     */
    static void requireBindable(String host, int port) {
        if (port == 0) {
            return; // any free port
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true); // as Jetty binds: a socket of ours in TIME_WAIT does not count
            probe.bind(new InetSocketAddress(host, port));
        } catch (BindException e) {
            throw new IllegalStateException(e.getMessage() != null && e.getMessage().contains("in use")
                    ? "port " + port + " is in use (another program is listening on it)" : e.getMessage(), e);
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage() != null ? e.getMessage() : e.toString(), e);
        }
    }

    /** The port bound (useful with port 0). */
    public int port() {
        return app.port();
    }

    /** {@code http://host:port} of this server (localhost for a wildcard bind). */
    public String baseUrl() {
        String host = config.host().equals("0.0.0.0") || config.host().equals("::") ? "localhost" : config.host();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
    }

    /** Every route the router holds (static-file ones included), for checking the OpenAPI document against. */
    public List<Route> routes() {
        return routes;
    }

    /**
     * Waits until no request is in flight (tests use it to know an aborted upload has been cleaned up).
     *
     * @return false if requests were still running after {@code timeout}
     */
    public boolean awaitIdle(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (inFlight.get() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /**
     * Graceful stop: {@code /readyz} answers 503 at once (load balancers stop sending), event streams end,
     * requests in flight get up to the configured grace to finish, then the server stops.
     */
    @Override
    public void close() {
        draining = true;
        jobApi.stop();
        awaitIdle(config.shutdownGrace());
        app.stop();
        hasher.close();
    }

    private static void ready(Context ctx, JsonIo json, Processing processing, VsaServer self) {
        if (self != null && self.draining) {
            throw unavailable("shutting down");
        }
        ObjectNode o = json.object();
        boolean ok = true;
        try {
            processing.users().findById(new UUID(0, 0)); // one indexed read proves the pool and server
            o.put("database", "ok");
        } catch (RuntimeException e) {
            ok = false;
            o.put("database", e.getMessage());
        }
        try {
            processing.store().stat("readyz-probe"); // absent is fine: the store answered
            o.put("storage", "ok");
        } catch (IOException | RuntimeException e) {
            ok = false;
            o.put("storage", e.getMessage());
        }
        // Workers of this process: a failing claim or lease renewal (the log has it at WARN) makes it unready.
        WorkerStatus w = processing.workerStatus();
        if (w.workers() == 0) {
            o.put("workers", "none");
        } else if (w.healthy()) {
            o.put("workers", "ok");
        } else {
            ok = false;
            o.put("workers", w.problem());
        }
        if (w.lastError() != null) {
            ObjectNode f = o.putObject("worker_failures");
            f.put("claim", w.claimFailures());
            f.put("heartbeat", w.heartbeatFailures());
            f.put("progress", w.progressFailures());
            f.put("last", w.lastError());
            f.put("last_at", w.lastErrorAt().toString());
        }
        o.put("status", ok ? "ok" : "unavailable");
        if (!ok) {
            ctx.header("Retry-After", "5"); // as every other 503 of the API
        }
        json.write(ctx, ok ? 200 : 503, o);
    }

    private static ApiException rejected(UploadRejectedException e) {
        return switch (e.reason()) {
            case TOO_LARGE -> new ApiException(413, "payload-too-large", "Payload too large", e.getMessage());
            case UNSUPPORTED_FORMAT -> new ApiException(415, "unsupported-media-type", "Unsupported scene format",
                    e.getMessage(), e.code() == null ? Map.of() : Map.of("code", e.code().name()), Map.of());
            case BAD_ARCHIVE, BAD_PARTS, EMPTY -> new ApiException(422, "invalid-upload", "Invalid upload",
                    e.getMessage(), Map.of("field", "file"), Map.of());
            case BUSY -> new ApiException(503, "too-many-uploads", "Too many uploads in progress", e.getMessage(),
                    Map.of(), Map.of("Retry-After", "5"));
            case USER_BUSY -> new ApiException(429, "too-many-uploads", "Too many uploads of this account in progress",
                    e.getMessage(), Map.of(), Map.of("Retry-After", "2"));
            case QUOTA -> new ApiException(413, "storage-quota-exceeded", "Storage quota exceeded", e.getMessage());
            case SCENE_LIMIT -> new ApiException(422, "scene-limit-reached", "Scene limit reached", e.getMessage());
        };
    }

    private static ApiException unavailable(String detail) {
        return new ApiException(503, "unavailable", "Service unavailable", detail, Map.of(),
                Map.of("Retry-After", "5"));
    }

    /**
     * Javalin's 405 for a path that has routes, only not for this method: its details hold the path's methods
     * ("GET, DELETE"), under a key that depends on whether the client accepts HTML. A GET route answers HEAD too,
     * so Allow names it.
     */
    private static ApiException methodNotAllowed(Context ctx, Map<String, String> details) {
        String available = details.getOrDefault("availableMethods", details.getOrDefault("Available methods", ""));
        LinkedHashSet<String> allowed = new LinkedHashSet<>();
        for (String m : available.split("\\s*,\\s*")) {
            if (!m.isBlank()) {
                allowed.add(m.trim());
            }
        }
        if (allowed.contains("GET")) {
            allowed.add("HEAD");
        }
        String allow = String.join(", ", allowed);
        return new ApiException(405, "method-not-allowed", "Method not allowed",
                ctx.method() + " is not allowed on " + ctx.path() + "; allowed: " + allow, Map.of(),
                Map.of("Allow", allow));
    }

    private static String slugOf(int status) {
        return switch (status) {
            case 400 -> "bad-request";
            case 401 -> "unauthorized";
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 413 -> "payload-too-large";
            default -> status >= 500 ? "internal" : "bad-request";
        };
    }

    /** A write or read that failed because the client closed the connection. */
    private static boolean clientGone(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof EofException
                    || (t instanceof IOException && String.valueOf(t.getMessage()).contains("Broken pipe"))) {
                return true;
            }
        }
        return false;
    }

    private static byte[] resource(String name) {
        try (InputStream in = VsaServer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Registers a route on Javalin (the router's handlerAdded event records it). */
    private record R(JavalinConfig cfg, List<Route> routes) {
        void get(String path, Handler h) {
            cfg.routes.get(path, h);
        }

        void post(String path, Handler h) {
            cfg.routes.post(path, h);
        }

        void head(String path, Handler h) {
            cfg.routes.head(path, h);
        }

        void options(String path, Handler h) {
            cfg.routes.options(path, h);
        }

        void patch(String path, Handler h) {
            cfg.routes.patch(path, h);
        }

        void delete(String path, Handler h) {
            cfg.routes.delete(path, h);
        }

        /** Javalin's {@code <name>} (a parameter that may hold slashes) is OpenAPI's {@code {name}}. */
        static String openApiPath(String path) {
            return path.replace('<', '{').replace('>', '}');
        }
    }
}
