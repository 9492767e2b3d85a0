package dev.vsa.server;

import dev.vsa.processing.Limits;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.vsa.server.AuthApiTest.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 10, parts 1 and 2: what hashing may cost, and a login throttle that cannot be raced or re-spelled. */
class AuthLimitsTest {
    private final TestStack stack = TestStack.shared();

    private final List<HttpResponse<String>> lastResponses = new ArrayList<>();

    /** Runs every task at the same instant (behind one gate) and returns the answers' status codes. */
    List<Integer> simultaneously(List<Callable<HttpResponse<String>>> tasks) throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> fs = new ArrayList<>();
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Callable<HttpResponse<String>> t : tasks) {
                fs.add(ex.submit(() -> {
                    gate.await();
                    return t.call();
                }));
            }
            gate.countDown();
            List<Integer> codes = new ArrayList<>();
            lastResponses.clear();
            for (Future<HttpResponse<String>> f : fs) {
                lastResponses.add(f.get());
                codes.add(f.get().statusCode());
            }
            return codes;
        }
    }

    @Test
    void login_60SimultaneousWrongPasswords_atMostTheLimitEvaluated() throws Exception {
        // A hashing pool with room for all 60, so only the throttle's reservation can stop them.
        TestStack s = TestStack.custom("race", Map.of(Limits.HASH_THREADS, "4", Limits.HASH_QUEUE, "100"), Map.of());
        TestStack.Account a = s.newAccount("race");
        List<Callable<HttpResponse<String>>> tasks = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            tasks.add(() -> s.postJson("/auth/login", Map.of("username", a.username(), "password", "wrong guess"), null));
        }
        List<Integer> codes = simultaneously(tasks);
        long evaluated = codes.stream().filter(c -> c == 401).count();
        assertTrue(evaluated >= 1 && evaluated <= s.config.loginMaxPerUser(),
                "wrong passwords evaluated: " + evaluated + " of 60 (limit " + s.config.loginMaxPerUser() + "): " + codes);
        assertTrue(codes.stream().allMatch(c -> c == 401 || c == 429), codes.toString());
    }

    @Test
    void login_lockedName_isLockedInEverySpelling() throws Exception {
        TestStack.Account a = stack.newAccount("iris");
        for (int i = 0; i < stack.config.loginMaxPerUser(); i++) {
            stack.postJson("/auth/login", Map.of("username", a.username(), "password", "wrong guess"), null);
        }
        // U+0130 (capital I with dot above) and U+0131 (dotless i) fold to the locked name: the right password
        // under either spelling must meet the lock, not the account.
        for (String twin : List.of("\u0130" + a.username().substring(1), "\u0131" + a.username().substring(1),
                a.username().toUpperCase())) {
            HttpResponse<String> r = stack.postJson("/auth/login", Map.of("username", twin, "password", a.password()), null);
            assertEquals(429, r.statusCode(), twin + ": " + r.body());
            assertProblem(r, "too-many-attempts");
        }
    }

    @Test
    void signup_otherSpellingOfATakenName_refused() throws Exception {
        TestStack.Account a = stack.newAccount("iris");
        String twin = "\u0130" + a.username().substring(1);
        HttpResponse<String> r = stack.postJson("/auth/signup", Map.of("username", twin, "password", "a long passphrase",
                "email", "twin-" + a.username() + "@example.com"), null);
        assertNotEquals(201, r.statusCode(), r.body());
        assertTrue(r.statusCode() == 409 || r.statusCode() == 422, r.body());
        assertEquals(a.id(), stack.processing.users().findByUsername(twin).orElseThrow().id().toString(),
                "still the one account");
    }

    @Test
    void signup_throttledPerAddress_andBusyHashingRefusedAtOnce() throws Exception {
        // Reads must answer 200: on a loaded machine they may wait longer for a connection than the default allows.
        TestStack s = TestStack.custom("limits", Map.of(Limits.SIGNUP_MAX_PER_ADDRESS, "3", Limits.HASH_THREADS, "1",
                Limits.HASH_QUEUE, "0", dev.vsa.processing.ProcessingConfig.DATABASE_POOL_TIMEOUT, "30000"), Map.of());
        TestStack.Account reader = s.newAccount("reader"); // one signup (and one login) of the three
        String scene = TestStack.JSON.readTree(s.upload(reader.bearer(), "a.splat", TestStack.splat(16, 1)).body())
                .path("scene_id").asText();

        // 30 logins at once (30 names, so the per-user throttle stays out of it) on one hashing thread with no
        // queue: most are refused at once (429 busy), none fails, and reads and health are answered meanwhile.
        List<Callable<HttpResponse<String>>> tasks = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String name = "nobody" + i;
            tasks.add(() -> s.postJson("/auth/login", Map.of("username", name, "password", "some password"), null));
        }
        for (int i = 0; i < 10; i++) {
            tasks.add(() -> s.get("/scenes/" + scene, reader.bearer()));
            tasks.add(() -> s.get("/healthz", null));
        }
        List<Integer> codes = simultaneously(tasks);
        List<Integer> logins = codes.subList(0, 30);
        assertTrue(logins.stream().allMatch(c -> c == 401 || c == 429), logins.toString());
        assertTrue(logins.contains(429), "a full hashing pool refuses: " + logins);
        assertTrue(codes.subList(30, 50).stream().allMatch(c -> c == 200), "reads and health: " + codes.subList(30, 50));
        HttpResponse<String> busy = lastResponses.stream().filter(x -> x.statusCode() == 429).findFirst().orElseThrow();
        assertProblem(busy, "busy");
        assertEquals("1", busy.headers().firstValue("Retry-After").orElseThrow());

        // The signup throttle: two more signups from this address, then 429 with Retry-After, taken names too.
        String n1 = TestStack.newName("s");
        String n2 = TestStack.newName("s");
        assertEquals(201, s.postJson("/auth/signup", Map.of("username", n1, "password", "a long passphrase",
                "email", n1 + "@example.com"), null).statusCode());
        assertEquals(409, s.postJson("/auth/signup", Map.of("username", n1, "password", "a long passphrase",
                "email", n2 + "@example.com"), null).statusCode(), "a taken name answers 409 (without a hash)");
        HttpResponse<String> r = s.postJson("/auth/signup", Map.of("username", n2, "password", "a long passphrase",
                "email", n2 + "@example.com"), null);
        assertEquals(429, r.statusCode(), r.body());
        assertProblem(r, "too-many-signups");
        assertTrue(Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow()) > 0);
        assertTrue(s.processing.users().findByUsername(n2).isEmpty());
    }
}
