package dev.vsa.server;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.vsa.server.AuthApiTest.assertProblem;
import static dev.vsa.server.TestStack.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The browser's cookie session (/auth/session) with its CSRF defences, and the web page's static assets. */
class WebSessionTest {
    private final TestStack stack = TestStack.shared();

    /** Cookies as a browser would keep them: name -> value, plus the raw Set-Cookie lines. */
    private record Session(Map<String, String> cookies, List<String> setCookies) {
        String header() {
            StringBuilder b = new StringBuilder();
            cookies.forEach((k, v) -> b.append(b.isEmpty() ? "" : "; ").append(k).append('=').append(v));
            return b.toString();
        }
    }

    private Session signIn() throws Exception {
        TestStack.Account a = stack.newAccount("cookie");
        HttpResponse<String> r = send("POST", "/auth/session", Map.of("username", a.username(), "password", a.password()),
                Map.of());
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(a.username(), JSON.readTree(r.body()).path("username").asText());
        assertFalse(r.body().contains("token"), "no token in the body: " + r.body());
        return session(r, new HashMap<>());
    }

    private static Session session(HttpResponse<String> r, Map<String, String> cookies) {
        List<String> set = r.headers().allValues("Set-Cookie");
        for (String c : set) {
            String[] kv = c.split(";", 2)[0].split("=", 2);
            cookies.put(kv[0], kv[1]);
        }
        return new Session(cookies, set);
    }

    private HttpResponse<String> send(String method, String path, Object body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(stack.url(path)))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        headers.forEach(b::header);
        return stack.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void session_cookiesHttpOnlyStrict_tokenNotReadable() throws Exception {
        Session s = signIn();
        String access = s.setCookies().stream().filter(c -> c.startsWith("vsa_access=")).findFirst().orElseThrow();
        assertTrue(access.contains("HttpOnly") && access.contains("SameSite=Strict") && access.contains("Path=/;"), access);
        String refresh = s.setCookies().stream().filter(c -> c.startsWith("vsa_refresh=")).findFirst().orElseThrow();
        assertTrue(refresh.contains("HttpOnly") && refresh.contains("Path=/auth/session"), refresh);
        String csrf = s.setCookies().stream().filter(c -> c.startsWith("vsa_csrf=")).findFirst().orElseThrow();
        assertFalse(csrf.contains("HttpOnly"), "the page must read the CSRF value");
        HttpResponse<String> me = send("GET", "/me", null, Map.of("Cookie", s.header()));
        assertEquals(200, me.statusCode(), me.body());
    }

    @Test
    void cookieWrite_withoutCsrfHeader_403() throws Exception {
        Session s = signIn();
        HttpResponse<String> r = send("POST", "/scenes/00000000-0000-0000-0000-000000000001/conversions",
                Map.of("to", "spz"), Map.of("Cookie", s.header()));
        assertEquals(403, r.statusCode(), r.body());
        assertProblem(r, "csrf");
        HttpResponse<String> wrong = send("POST", "/scenes/00000000-0000-0000-0000-000000000001/conversions",
                Map.of("to", "spz"), Map.of("Cookie", s.header(), "X-CSRF-Token", "guess"));
        assertEquals(403, wrong.statusCode());
        HttpResponse<String> ok = send("POST", "/scenes/00000000-0000-0000-0000-000000000001/conversions",
                Map.of("to", "spz"), Map.of("Cookie", s.header(), "X-CSRF-Token", s.cookies().get("vsa_csrf")));
        assertEquals(404, ok.statusCode(), "past the CSRF check: " + ok.body());
    }

    @Test
    void cookieRequest_fromAnotherOrigin_403() throws Exception {
        Session s = signIn();
        HttpResponse<String> r = send("GET", "/scenes", null, Map.of("Cookie", s.header(), "Origin", "https://evil.example"));
        assertEquals(403, r.statusCode());
        assertProblem(r, "csrf");
        HttpResponse<String> own = send("GET", "/scenes", null, Map.of("Cookie", s.header(),
                "Origin", stack.server.baseUrl().replace("localhost", "127.0.0.1")));
        assertEquals(200, own.statusCode(), own.body());
    }

    @Test
    void bearer_needsNoCsrf() throws Exception {
        TestStack.Account a = stack.newAccount("bearer");
        HttpResponse<String> r = send("POST", "/scenes/00000000-0000-0000-0000-000000000001/conversions",
                Map.of("to", "spz"), Map.of("Authorization", a.bearer()));
        assertEquals(404, r.statusCode(), r.body());
    }

    @Test
    void refresh_rotates_andSignOutEndsTheSession() throws Exception {
        Session s = signIn();
        String csrf = s.cookies().get("vsa_csrf");
        String oldRefresh = s.cookies().get("vsa_refresh");
        HttpResponse<String> r = send("POST", "/auth/session/refresh", null, Map.of("Cookie", s.header(), "X-CSRF-Token", csrf));
        assertEquals(200, r.statusCode(), r.body());
        Session next = session(r, new HashMap<>(s.cookies()));
        assertFalse(oldRefresh.equals(next.cookies().get("vsa_refresh")), "rotated");
        // the old refresh token is spent
        HttpResponse<String> again = send("POST", "/auth/session/refresh", null,
                Map.of("Cookie", s.header(), "X-CSRF-Token", csrf));
        assertEquals(401, again.statusCode());

        HttpResponse<String> out = send("DELETE", "/auth/session", null,
                Map.of("Cookie", next.header(), "X-CSRF-Token", next.cookies().get("vsa_csrf")));
        assertEquals(204, out.statusCode(), out.body());
        assertTrue(out.headers().allValues("Set-Cookie").stream().allMatch(c -> c.contains("Max-Age=0")));
        HttpResponse<String> after = send("POST", "/auth/session/refresh", null,
                Map.of("Cookie", next.header(), "X-CSRF-Token", next.cookies().get("vsa_csrf")));
        assertEquals(401, after.statusCode(), "the refresh token was revoked");
    }

    @Test
    void httpsPublicUrl_secureCookies_evenOverPlainHttp() throws Exception {
        // Behind a proxy that ends TLS the server sees plain HTTP: the public URL says the browser uses HTTPS.
        ServerConfig config = ServerConfig.load(Map.of(ServerConfig.PORT, "0", ServerConfig.BCRYPT_COST, "10",
                ServerConfig.JWT_SECRET, TestStack.JWT_SECRET, ServerConfig.PUBLIC_URL, "https://vsa.example.org"),
                Map.of(), stack.dir);
        TestStack.Account a = stack.newAccount("secure");
        try (VsaServer behindProxy = VsaServer.start(config, stack.processing)) {
            HttpRequest req = HttpRequest.newBuilder(URI.create(behindProxy.baseUrl() + "/auth/session"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(
                            Map.of("username", a.username(), "password", a.password())))).build();
            HttpResponse<String> r = stack.http.send(req, HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            List<String> set = r.headers().allValues("Set-Cookie");
            assertEquals(3, set.size());
            assertTrue(set.stream().allMatch(c -> c.contains("; Secure")), set.toString());
        }
        HttpResponse<String> plain = send("POST", "/auth/session", Map.of("username", a.username(), "password", a.password()),
                Map.of());
        assertTrue(plain.headers().allValues("Set-Cookie").stream().noneMatch(c -> c.contains("Secure")),
                "no public URL, plain HTTP: not Secure (else a local browser would drop them)");
    }

    @Test
    void signIn_wrongPassword_401_noCookies() throws Exception {
        TestStack.Account a = stack.newAccount("cookiebad");
        HttpResponse<String> r = send("POST", "/auth/session", Map.of("username", a.username(), "password", "wrong password!"),
                Map.of());
        assertEquals(401, r.statusCode());
        assertTrue(r.headers().allValues("Set-Cookie").isEmpty());
    }

    @Test
    void page_strictCspAllowsOnlyItsImportMap() throws Exception {
        HttpResponse<String> r = stack.get("/", null);
        assertEquals(200, r.statusCode());
        String csp = r.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertTrue(csp.startsWith("default-src 'none'") && !csp.contains("unsafe-inline") && !csp.contains("'unsafe-eval'"), csp);
        Matcher m = Pattern.compile("<script type=\"importmap\">(.*?)</script>", Pattern.DOTALL).matcher(r.body());
        assertTrue(m.find());
        String hash = Base64.getEncoder().encodeToString(java.security.MessageDigest.getInstance("SHA-256")
                .digest(m.group(1).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertTrue(csp.contains("'sha256-" + hash + "'"), "the import map's hash is allowed: " + csp);
        assertEquals("no-cache", r.headers().firstValue("Cache-Control").orElse(""));
    }

    @Test
    void assets_servedWithValidators_vendorCached_traversalRefused() throws Exception {
        HttpResponse<String> app = stack.get("/app/app.js", null);
        assertEquals(200, app.statusCode());
        assertTrue(app.headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"));
        String etag = app.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> again = stack.http.send(HttpRequest.newBuilder(URI.create(stack.url("/app/app.js")))
                .header("If-None-Match", etag).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(304, again.statusCode());
        HttpResponse<String> vendor = stack.get("/app/vendor/three/three.module.min.js", null);
        assertEquals(200, vendor.statusCode());
        assertTrue(vendor.headers().firstValue("Cache-Control").orElse("").contains("max-age="));
        assertEquals(200, stack.get("/app/vendor/VERSIONS.txt", null).statusCode());
        for (String bad : List.of("/app/../openapi.json", "/app/%2e%2e/openapi.json", "/app/nope.js", "/app/vendor/../../VsaServer.class")) {
            assertEquals(404, stack.get(bad, null).statusCode(), bad);
        }
    }
}
