package dev.vsa.processing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

/**
 * A worker's own small HTTP port (the API serves the same paths on its port): {@code GET /metrics} (Prometheus
 * text), {@code GET /healthz} (the process is up) and {@code GET /readyz} (200 when the database and the store
 * answer, else 503 naming what failed). The JDK's HTTP server: no second web framework in a worker.
 */
public final class OpsServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;

    private OpsServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Binds {@code host:port} (port 0 picks a free one) and serves until {@link #close()}.
     *
     * @throws UncheckedIOException if the address cannot be bound
     * @throws IllegalArgumentException if the port is outside 0..65535
     */
    public static OpsServer start(Processing processing, String host, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("metrics port must be 0..65535, was " + port);
        }
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind " + host + ":" + port + ": " + e.getMessage(), e);
        }
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.createContext("/metrics", ex -> {
            if (get(ex)) {
                send(ex, 200, Metrics.CONTENT_TYPE, processing.metrics().scrape());
            }
        });
        server.createContext("/healthz", ex -> {
            if (get(ex)) {
                send(ex, 200, "application/json", "{\"status\":\"ok\"}");
            }
        });
        server.createContext("/readyz", ex -> {
            if (get(ex)) {
                Map<String, String> r = processing.readiness();
                boolean ok = r.values().stream().allMatch("ok"::equals);
                String body = r.entrySet().stream()
                        .map(e -> "\"" + e.getKey() + "\":\"" + jsonEscape(e.getValue()) + "\"")
                        .collect(Collectors.joining(",", "{", ",\"status\":\"" + (ok ? "ok" : "unavailable") + "\"}"));
                send(ex, ok ? 200 : 503, "application/json", body);
            }
        });
        server.start();
        return new OpsServer(server, executor);
    }

    /** The port bound. */
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private static boolean get(HttpExchange ex) throws IOException {
        boolean exact = ex.getRequestURI().getPath().equals(ex.getHttpContext().getPath());
        if (!exact) {
            send(ex, 404, "text/plain", "not found\n");
            return false;
        }
        if (!ex.getRequestMethod().equals("GET")) {
            ex.getResponseHeaders().set("Allow", "GET");
            send(ex, 405, "text/plain", "use GET\n");
            return false;
        }
        return true;
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        if (status == 503) {
            ex.getResponseHeaders().set("Retry-After", "5");
        }
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String jsonEscape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
