import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small closed-loop load client for bench/server-bench.sh: CLIENTS virtual threads each GET URL with a bearer
 * token REQUESTS times; prints throughput and latency percentiles. Run: java bench/ServerLoad.java URL TOKEN
 * CLIENTS REQUESTS (single-file source launch, JDK 21+).
 */
public final class ServerLoad {
    public static void main(String[] args) throws Exception {
        URI url = URI.create(args[0]);
        String token = args[1];
        int clients = Integer.parseInt(args[2]);
        int perClient = Integer.parseInt(args[3]);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        HttpRequest req = HttpRequest.newBuilder(url).header("Authorization", "Bearer " + token).GET().build();
        // Warm-up: connections, JIT.
        for (int i = 0; i < 200; i++) {
            http.send(req, HttpResponse.BodyHandlers.discarding());
        }
        long[][] lat = new long[clients][perClient];
        AtomicInteger errors = new AtomicInteger();
        java.util.concurrent.ConcurrentHashMap<String, AtomicInteger> kinds = new java.util.concurrent.ConcurrentHashMap<>();
        long start = System.nanoTime();
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> fs = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                fs.add(ex.submit(() -> {
                    for (int i = 0; i < perClient; i++) {
                        long t0 = System.nanoTime();
                        try {
                            HttpResponse<Void> r = http.send(req, HttpResponse.BodyHandlers.discarding());
                            if (r.statusCode() != 200) {
                                errors.incrementAndGet();
                                kinds.computeIfAbsent("HTTP " + r.statusCode(), k -> new AtomicInteger()).incrementAndGet();
                            }
                        } catch (Exception e) {
                            errors.incrementAndGet();
                            kinds.computeIfAbsent(e.toString(), k -> new AtomicInteger()).incrementAndGet();
                        }
                        lat[client][i] = System.nanoTime() - t0;
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        }
        double secs = (System.nanoTime() - start) / 1e9;
        long[] all = Arrays.stream(lat).flatMapToLong(Arrays::stream).sorted().toArray();
        System.out.printf("GET %s: %d clients x %d requests = %d in %.1f s (%.0f req/s), errors %d%n",
                url.getPath(), clients, perClient, all.length, secs, all.length / secs, errors.get());
        kinds.forEach((k, v) -> System.out.println("  error: " + k + " x" + v));
        System.out.printf("latency ms: p50 %.1f  p90 %.1f  p99 %.1f  max %.1f%n", pct(all, 50), pct(all, 90),
                pct(all, 99), all[all.length - 1] / 1e6);
    }

    private static double pct(long[] sorted, double p) {
        int i = (int) Math.min(sorted.length - 1, Math.ceil(p / 100.0 * sorted.length) - 1);
        return sorted[Math.max(0, i)] / 1e6;
    }
}
