import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Mixed load on a running vsa API (bench/auth-load.sh starts one): CLIENTS virtual-thread clients for SECONDS, each
 * picking per request: 10% logins (right password, from 127.0.0.2), 5% signups (all from one address, 127.0.0.3),
 * 10% small uploads (a 64-splat .splat), 5% GET /healthz and 70% authenticated GET /scenes/{id}; after each request
 * a client waits THINK_MS on average (uniform 0..2x). Prints status counts and latency percentiles per kind, then
 * checks that every acknowledged upload (201) has its scene row and its original object (download, same size).
 * Exits 1 if a 5xx or a transport error was seen or an acknowledged upload is missing. Bounded: stops by itself.
 * Run: java bench/MixedLoad.java BASE_URL [CLIENTS=200] [SECONDS=60] [THINK_MS=250] (single-file launch, JDK 21+).
 */
public final class MixedLoad {
    private static final int ACCOUNTS = 8;
    private static final Pattern FIELD = Pattern.compile("\"(\\w+)\":\"([^\"]*)\"");

    record Account(String name, String password, String token, String sceneId) {
    }

    record Upload(String token, String sceneId, String filename, int size) {
    }

    public static void main(String[] args) throws Exception {
        String base = args[0];
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 60;
        int thinkMs = args.length > 3 ? Integer.parseInt(args[3]) : 250;
        String run = Long.toString(System.currentTimeMillis() % 1_000_000, 36);

        // Setup accounts, one signup per loopback address (so a per-address signup throttle does not refuse them).
        List<Account> accounts = new ArrayList<>();
        for (int i = 0; i < ACCOUNTS; i++) {
            HttpClient c = client("127.0.1." + (i + 1));
            String name = "load" + run + "u" + i;
            String pw = "load password " + name;
            HttpResponse<String> s = post(c, base + "/auth/signup",
                    "{\"username\":\"" + name + "\",\"password\":\"" + pw + "\",\"email\":\"" + name + "@example.com\"}");
            check(s, 201, "setup signup");
            String token = field(check(post(c, base + "/auth/login",
                    "{\"username\":\"" + name + "\",\"password\":\"" + pw + "\"}"), 200, "setup login").body(), "access_token");
            String scene = field(check(upload(c, base, token, "seed.splat", splat(64, i)), 201, "setup upload").body(), "scene_id");
            accounts.add(new Account(name, pw, token, scene));
        }
        HttpClient normal = client("127.0.0.2");
        HttpClient signups = client("127.0.0.3");

        Map<String, Queue<Long>> latency = new ConcurrentHashMap<>();
        Map<String, Map<Integer, AtomicInteger>> statuses = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
        Queue<Upload> acknowledged = new ConcurrentLinkedQueue<>();
        AtomicInteger signupSeq = new AtomicInteger();
        AtomicInteger uploadSeq = new AtomicInteger();
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        long start = System.nanoTime();
        long cpu0 = cpuNanos();
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> fs = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                SplittableRandom rnd = new SplittableRandom(c * 7919L + 1);
                fs.add(ex.submit(() -> {
                    while (System.nanoTime() < deadline) {
                        Account a = accounts.get(rnd.nextInt(accounts.size()));
                        int p = rnd.nextInt(100);
                        String kind;
                        long t0 = System.nanoTime();
                        try {
                            HttpResponse<String> r;
                            if (p < 10) {
                                kind = "login";
                                r = post(normal, base + "/auth/login",
                                        "{\"username\":\"" + a.name + "\",\"password\":\"" + a.password + "\"}");
                            } else if (p < 15) {
                                kind = "signup";
                                String n = "load" + run + "s" + signupSeq.incrementAndGet();
                                r = post(signups, base + "/auth/signup", "{\"username\":\"" + n
                                        + "\",\"password\":\"signup password " + n + "\",\"email\":\"" + n + "@example.com\"}");
                            } else if (p < 25) {
                                kind = "upload";
                                String fn = "up" + uploadSeq.incrementAndGet() + ".splat";
                                byte[] data = splat(64, rnd.nextLong());
                                r = upload(normal, base, a.token, fn, data);
                                if (r.statusCode() == 201) {
                                    acknowledged.add(new Upload(a.token, field(r.body(), "scene_id"), fn, data.length));
                                }
                            } else if (p < 30) {
                                kind = "health";
                                r = normal.send(HttpRequest.newBuilder(URI.create(base + "/healthz")).GET().build(),
                                        HttpResponse.BodyHandlers.ofString());
                            } else {
                                kind = "read";
                                r = normal.send(HttpRequest.newBuilder(URI.create(base + "/scenes/" + a.sceneId))
                                        .header("Authorization", "Bearer " + a.token).GET().build(),
                                        HttpResponse.BodyHandlers.ofString());
                            }
                            statuses.computeIfAbsent(kind, k -> new ConcurrentHashMap<>())
                                    .computeIfAbsent(r.statusCode(), k -> new AtomicInteger()).incrementAndGet();
                        } catch (Exception e) {
                            kind = p < 10 ? "login" : p < 15 ? "signup" : p < 25 ? "upload" : p < 30 ? "health" : "read";
                            failures.computeIfAbsent(kind + ": " + e, k -> new AtomicInteger()).incrementAndGet();
                        }
                        latency.computeIfAbsent(kind, k -> new ConcurrentLinkedQueue<>()).add(System.nanoTime() - t0);
                        Thread.sleep(thinkMs == 0 ? 0 : rnd.nextInt(2 * thinkMs + 1));
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        }
        double secs = (System.nanoTime() - start) / 1e9;
        double cpu = (cpuNanos() - cpu0) / 1e9;
        int total = latency.values().stream().mapToInt(Queue::size).sum();
        System.out.printf("%d clients, %.1f s, think %d ms avg: %d requests (%.0f/s)%n", clients, secs, thinkMs, total,
                total / secs);
        System.out.printf("load client CPU (user+sys) during the load: %.1f s = %.0f%% of one core, %.2f ms a request%n",
                cpu, 100 * cpu / secs, 1000 * cpu / Math.max(1, total));
        int fivexx = 0;
        for (String kind : List.of("read", "health", "upload", "login", "signup")) {
            Queue<Long> q = latency.getOrDefault(kind, new ConcurrentLinkedQueue<>());
            long[] all = q.stream().mapToLong(Long::longValue).sorted().toArray();
            Map<Integer, Integer> st = new TreeMap<>();
            statuses.getOrDefault(kind, Map.of()).forEach((k, v) -> st.put(k, v.get()));
            for (var e : st.entrySet()) {
                if (e.getKey() >= 500) {
                    fivexx += e.getValue();
                }
            }
            System.out.printf("  %-6s n=%-6d status %s  ms: p50 %.1f  p90 %.1f  p99 %.1f  max %.1f%n", kind, all.length,
                    st, pct(all, 50), pct(all, 90), pct(all, 99), all.length == 0 ? 0 : all[all.length - 1] / 1e6);
        }
        failures.forEach((k, v) -> System.out.println("  transport error: " + k + " x" + v));

        // Every acknowledged upload: its row (GET /scenes/{id}) and its object (the original's bytes).
        int missing = 0;
        for (Upload u : acknowledged) {
            HttpResponse<String> s = normal.send(HttpRequest.newBuilder(URI.create(base + "/scenes/" + u.sceneId))
                    .header("Authorization", "Bearer " + u.token).GET().build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<byte[]> f = normal.send(HttpRequest.newBuilder(URI.create(base + "/scenes/" + u.sceneId
                    + "/files/original/" + URLEncoder.encode(u.filename, StandardCharsets.UTF_8)))
                    .header("Authorization", "Bearer " + u.token).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            if (s.statusCode() != 200 || f.statusCode() != 200 || f.body().length != u.size) {
                missing++;
                if (missing <= 5) {
                    System.out.println("  missing: scene " + u.sceneId + " row " + s.statusCode() + " object "
                            + f.statusCode() + " " + f.body().length + "/" + u.size + " bytes");
                }
            }
        }
        System.out.printf("acknowledged uploads: %d, with row and object: %d, missing: %d%n", acknowledged.size(),
                acknowledged.size() - missing, missing);
        System.out.println("5xx: " + fivexx + ", transport errors: " + failures.values().stream().mapToInt(AtomicInteger::get).sum());
        System.exit(fivexx == 0 && failures.isEmpty() && missing == 0 ? 0 : 1);
    }

    private static HttpClient client(String localAddress) throws Exception {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).localAddress(InetAddress.getByName(localAddress))
                .connectTimeout(Duration.ofSeconds(10)).executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    }

    private static HttpResponse<String> post(HttpClient c, String url, String json) throws Exception {
        return c.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(120)).POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> upload(HttpClient c, String base, String token, String name, byte[] data)
            throws Exception {
        String boundary = "b" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(data);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return c.send(HttpRequest.newBuilder(URI.create(base + "/upload/"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(120))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> check(HttpResponse<String> r, int want, String what) {
        if (r.statusCode() != want) {
            throw new IllegalStateException(what + ": HTTP " + r.statusCode() + " " + r.body());
        }
        return r;
    }

    private static String field(String json, String name) {
        Matcher m = FIELD.matcher(json);
        while (m.find()) {
            if (m.group(1).equals(name)) {
                return m.group(2);
            }
        }
        throw new IllegalStateException("no " + name + " in " + json);
    }

    /** A valid antimatter15 .splat of n splats. */
    private static byte[] splat(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        ByteBuffer b = ByteBuffer.allocate(32 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            b.putFloat((float) r.nextDouble(-1, 1)).putFloat((float) r.nextDouble(-1, 1)).putFloat((float) r.nextDouble(-1, 1));
            b.putFloat(0.01f).putFloat(0.02f).putFloat(0.03f);
            b.put((byte) r.nextInt(256)).put((byte) r.nextInt(256)).put((byte) r.nextInt(256)).put((byte) 200);
            b.put((byte) 255).put((byte) 128).put((byte) 128).put((byte) 128);
        }
        return b.array();
    }

    /** CPU time (user+sys) this process has used so far, all threads. */
    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.min(sorted.length - 1, Math.ceil(p / 100.0 * sorted.length) - 1);
        return sorted[Math.max(0, i)] / 1e6;
    }
}
