package dev.vsa.server.http;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import dev.vsa.processing.RequestContext;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Request ids and HTTP metrics for the API.
 *
 * <ul>
 *   <li>Every request gets an id: the caller's {@code X-Request-Id} if it is a short token, else a new UUID. It is
 *       echoed in the response, put in the logging context ({@code MDC request_id}, so every log line of the
 *       request carries it) and stored with any job the request queues (its log lines carry it too).</li>
 *   <li>{@code vsa_http_server_requests_seconds{method,route,status}}: latency by route template (never a raw path:
 *       unmatched paths count as {@code route="unmatched"}), and {@code vsa_upload_bytes} for accepted uploads.</li>
 * </ul>
 */
public final class Observability {
    /** The request id header, in and out. */
    public static final String REQUEST_ID_HEADER = "X-Request-Id";
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final Duration[] BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
            Duration.ofSeconds(30)};

    private Observability() {
    }

    /** Installs the request-id filter and the per-request metrics on {@code cfg}. */
    public static void install(JavalinConfig cfg, MeterRegistry registry) {
        DistributionSummary uploads = DistributionSummary.builder("vsa.upload").baseUnit("bytes")
                .description("Bodies of accepted uploads").register(registry);
        cfg.routes.before(ctx -> {
            String given = ctx.header(REQUEST_ID_HEADER);
            String id = given != null && SAFE_ID.matcher(given).matches() ? given : UUID.randomUUID().toString();
            RequestContext.set(id);
            ctx.header(REQUEST_ID_HEADER, id);
        });
        // One timer per method, route template and status, found again by those (building and registering it
        // anew on every request cost as much as some requests' own work).
        ConcurrentHashMap<String, Timer> timers = new ConcurrentHashMap<>();
        cfg.requestLogger.http((ctx, ms) -> {
            try {
                String route = route(ctx);
                int status = ctx.statusCode();
                String method = ctx.method().name();
                timers.computeIfAbsent(method + ' ' + status + ' ' + route, k -> Timer.builder("vsa.http.server.requests")
                        .description("HTTP requests by route template and status")
                        .tags("method", method, "route", route, "status", Integer.toString(status))
                        .serviceLevelObjectives(BUCKETS).register(registry))
                        .record((long) (ms * 1_000_000L), TimeUnit.NANOSECONDS);
                long length = ctx.req().getContentLengthLong();
                // A direct upload's bytes go to the bucket: its calls here carry only JSON.
                if (status == 201 && route.startsWith("/upload") && !route.startsWith("/uploads/direct") && length > 0) {
                    uploads.record(length);
                }
            } finally {
                RequestContext.clear();
            }
        });
    }

    private static String route(Context ctx) {
        try {
            Endpoint e = ctx.endpoints().lastHttpEndpoint();
            return e == null || e.path == null || e.path.equals("*") ? "unmatched" : e.path;
        } catch (RuntimeException noneMatched) {
            return "unmatched";
        }
    }
}
