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
 * The load itself goes through one kept-alive HTTP/1.1 connection per client and address (class Conn), not
 * java.net.http: that cost the client 1.1-1.3 ms of CPU a request (30-38% of a core at 200 clients), Conn 0.4-0.6 ms,
 * which it prints (the client must not be what saturates the machine it measures).
 * It also prints the reads' p99 per 10-s window of the run (when each started), so the warm-up shows.
 * Run: java bench/MixedLoad.java BASE_URL [CLIENTS=200] [SECONDS=60] [THINK_MS=250] (single-file launch, JDK 21+).
 */
public final class MixedLoad {
    private static final int ACCOUNTS = 8;
    private static final Pattern FIELD = Pattern.compile("\"(\\w+)\":\"([^\"]*)\"");

    record Account(String name, String password, String token, String sceneId, byte[] read) {
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
            accounts.add(new Account(name, pw, token, scene, Conn.request("GET", "/scenes/" + scene, token, null, null)));
        }
        HttpClient normal = client("127.0.0.2");
        URI uri = URI.create(base);
        byte[] health = Conn.request("GET", "/healthz", null, null, null);

        Map<String, Queue<Long>> latency = new ConcurrentHashMap<>();
        // reads again by the 10-s window they started in: the warm-up shows (the first window decided the p99)
        Map<Integer, Queue<Long>> readWindows = new ConcurrentHashMap<>();
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
                    // Each client keeps one connection per address it sends from (HTTP/1.1 keep-alive), as a
                    // browser would: a request costs the client a write and a read, not a new exchange's machinery.
                    try (Conn normalConn = new Conn(uri, "127.0.0.2"); Conn signupConn = new Conn(uri, "127.0.0.3")) {
                    while (System.nanoTime() < deadline) {
                        Account a = accounts.get(rnd.nextInt(accounts.size()));
                        int p = rnd.nextInt(100);
                        String kind;
                        long t0 = System.nanoTime();
                        try {
                            Conn.Response r;
                            if (p < 10) {
                                kind = "login";
                                r = normalConn.post("/auth/login", "application/json", null, ("{\"username\":\""
                                        + a.name + "\",\"password\":\"" + a.password + "\"}").getBytes(StandardCharsets.UTF_8));
                            } else if (p < 15) {
                                kind = "signup";
                                String n = "load" + run + "s" + signupSeq.incrementAndGet();
                                r = signupConn.post("/auth/signup", "application/json", null, ("{\"username\":\"" + n
                                        + "\",\"password\":\"signup password " + n + "\",\"email\":\"" + n
                                        + "@example.com\"}").getBytes(StandardCharsets.UTF_8));
                            } else if (p < 25) {
                                kind = "upload";
                                String fn = "up" + uploadSeq.incrementAndGet() + ".splat";
                                byte[] data = splat(64, rnd.nextLong());
                                String boundary = "b" + System.nanoTime();
                                r = normalConn.post("/upload/", "multipart/form-data; boundary=" + boundary, a.token,
                                        multipart(boundary, fn, data));
                                if (r.status() == 201) {
                                    acknowledged.add(new Upload(a.token, field(r.text(), "scene_id"), fn, data.length));
                                }
                            } else if (p < 30) {
                                kind = "health";
                                r = normalConn.send(health);
                            } else {
                                kind = "read";
                                r = normalConn.send(a.read);
                            }
                            statuses.computeIfAbsent(kind, k -> new ConcurrentHashMap<>())
                                    .computeIfAbsent(r.status(), k -> new AtomicInteger()).incrementAndGet();
                        } catch (Exception e) {
                            kind = p < 10 ? "login" : p < 15 ? "signup" : p < 25 ? "upload" : p < 30 ? "health" : "read";
                            failures.computeIfAbsent(kind + ": " + e, k -> new AtomicInteger()).incrementAndGet();
                        }
                        long took = System.nanoTime() - t0;
                        latency.computeIfAbsent(kind, k -> new ConcurrentLinkedQueue<>()).add(took);
                        if (kind.equals("read")) {
                            readWindows.computeIfAbsent((int) ((t0 - start) / 10_000_000_000L),
                                    k -> new ConcurrentLinkedQueue<>()).add(took);
                        }
                        Thread.sleep(thinkMs == 0 ? 0 : rnd.nextInt(2 * thinkMs + 1));
                    }
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
        StringBuilder windows = new StringBuilder("  read p99 per 10 s (ms):");
        for (var w : new TreeMap<>(readWindows).values()) {
            windows.append(String.format(" %.0f", pct(w.stream().mapToLong(Long::longValue).sorted().toArray(), 99)));
        }
        System.out.println(windows);
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

    /** A setup request; a 429 busy (password hashing at capacity) is sent again after its Retry-After. */
    private static HttpResponse<String> post(HttpClient c, String url, String json) throws Exception {
        for (int tries = 1; ; tries++) {
            HttpResponse<String> r = c.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(120)).POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 429 || !r.body().contains("/busy") || tries == 30) {
                return r;
            }
            Thread.sleep(1000 * Long.parseLong(r.headers().firstValue("Retry-After").orElse("1")));
        }
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

    private static byte[] multipart(String boundary, String name, byte[] data) throws java.io.IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream(data.length + 256);
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(data);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return body.toByteArray();
    }

    /**
     * One HTTP/1.1 keep-alive connection from a given local address: a request is written whole, the answer read
     * by its Content-Length (or chunks). Far cheaper per request than java.net.http's exchange machinery, so the
     * client measures the server instead of competing with it for the CPU.
     */
    static final class Conn implements AutoCloseable {
        record Response(int status, byte[] body) {
            String text() {
                return new String(body, StandardCharsets.UTF_8);
            }
        }

        private final URI base;
        private final InetAddress local;
        private java.net.Socket socket;
        private java.io.InputStream in;
        private java.io.OutputStream out;

        Conn(URI base, String localAddress) throws java.io.IOException {
            this.base = base;
            this.local = InetAddress.getByName(localAddress);
        }

        static byte[] request(String method, String path, String token, String contentType, byte[] body) {
            StringBuilder h = new StringBuilder(256).append(method).append(' ').append(path)
                    .append(" HTTP/1.1\r\nHost: localhost\r\n");
            if (token != null) {
                h.append("Authorization: Bearer ").append(token).append("\r\n");
            }
            if (body != null) {
                h.append("Content-Type: ").append(contentType).append("\r\nContent-Length: ").append(body.length)
                        .append("\r\n");
            }
            byte[] head = h.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
            if (body == null) {
                return head;
            }
            byte[] all = java.util.Arrays.copyOf(head, head.length + body.length);
            System.arraycopy(body, 0, all, head.length, body.length);
            return all;
        }

        Response post(String path, String contentType, String token, byte[] body) throws java.io.IOException {
            return send(request("POST", path, token, contentType, body));
        }

        Response send(byte[] request) throws java.io.IOException {
            boolean reused = socket != null;
            try {
                return exchange(request);
            } catch (java.io.EOFException e) {
                if (!reused || !e.getMessage().equals(NOTHING_READ)) {
                    throw e;
                }
                // The server closed the kept-alive connection after its last answer (Jetty does after an answer that
                // left the request's body unread, e.g. a 429): it never read this request, so send it again.
                return exchange(request);
            }
        }

        private static final String NOTHING_READ = "connection closed before an answer";

        private Response exchange(byte[] request) throws java.io.IOException {
            if (socket == null) {
                socket = new java.net.Socket();
                socket.bind(new java.net.InetSocketAddress(local, 0));
                socket.connect(new java.net.InetSocketAddress(base.getHost(), base.getPort()), 10_000);
                socket.setTcpNoDelay(true);
                socket.setSoTimeout(120_000);
                in = new java.io.BufferedInputStream(socket.getInputStream(), 16 * 1024);
                out = socket.getOutputStream();
            }
            try {
                out.write(request);
                out.flush();
                int first = in.read();
                if (first < 0) {
                    throw new java.io.EOFException(NOTHING_READ);
                }
                String status = (char) first + line();
                int code = Integer.parseInt(status.substring(9, 12));
                long length = -1;
                boolean chunked = false;
                boolean close = false;
                for (String h = line(); !h.isEmpty(); h = line()) {
                    int colon = h.indexOf(':');
                    String name = h.substring(0, colon).trim();
                    String value = h.substring(colon + 1).trim();
                    if (name.equalsIgnoreCase("Content-Length")) {
                        length = Long.parseLong(value);
                    } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                        chunked = value.equalsIgnoreCase("chunked");
                    } else if (name.equalsIgnoreCase("Connection")) {
                        close = value.equalsIgnoreCase("close");
                    }
                }
                byte[] body;
                if (chunked) {
                    ByteArrayOutputStream b = new ByteArrayOutputStream();
                    for (int n = Integer.parseInt(line().split(";")[0].trim(), 16); n > 0;
                         n = Integer.parseInt(line().split(";")[0].trim(), 16)) {
                        b.write(in.readNBytes(n));
                        line();
                    }
                    while (!line().isEmpty()) {
                        // trailers
                    }
                    body = b.toByteArray();
                } else if (length >= 0) {
                    body = in.readNBytes((int) length);
                } else {
                    body = in.readAllBytes();
                    close = true;
                }
                if (close) {
                    close();
                }
                return new Response(code, body);
            } catch (java.io.IOException | RuntimeException e) {
                close();
                throw e;
            }
        }

        private String line() throws java.io.IOException {
            StringBuilder b = new StringBuilder(64);
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new java.io.EOFException("connection closed by the server");
                }
                if (c != '\r') {
                    b.append((char) c);
                }
            }
            return b.toString();
        }

        @Override
        public void close() {
            if (socket != null) {
                try {
                    socket.close();
                } catch (java.io.IOException ignored) {
                    // going away anyway
                }
                socket = null;
            }
        }
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
