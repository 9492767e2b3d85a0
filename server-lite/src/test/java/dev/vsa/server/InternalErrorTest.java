package dev.vsa.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vsa.processing.storage.ObjectStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static dev.vsa.server.AuthApiTest.assertProblem;
import static dev.vsa.server.TestStack.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The last line of the error mapping: an exception no route expects (here a store that throws an unchecked one, as
 * a bug would) answers 500 problem+json naming the request id, with nothing of the exception in the body, and is
 * logged once with its stack trace and that id.
 */
class InternalErrorTest {
    private static final String BUG = "injected: a bug below the API";
    static volatile boolean broken;
    static OwnServer own;

    @BeforeAll
    static void start() throws Exception {
        own = new OwnServer(Map.of(), local -> (ObjectStore) Proxy.newProxyInstance(ObjectStore.class.getClassLoader(),
                new Class<?>[]{ObjectStore.class}, (proxy, method, args) -> {
                    // Only on request threads (virtual): the worker may still be reading the upload.
                    if (broken && method.getName().equals("get") && Thread.currentThread().isVirtual()) {
                        throw new IllegalStateException(BUG);
                    }
                    try {
                        return method.invoke(local, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                }));
    }

    @AfterAll
    static void stop() {
        own.close();
    }

    @Test
    void unexpectedException_500ProblemWithRequestId_noTraceInBody_loggedOnce() throws Exception {
        String bearer = own.account();
        HttpResponse<String> up = own.upload(bearer, "s.splat", TestStack.splat(10, 5));
        assertEquals(201, up.statusCode(), up.body());
        String scene = JSON.readTree(up.body()).path("scene_id").asText();

        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream err = System.err;
        broken = true;
        HttpResponse<String> r;
        try {
            System.setErr(new PrintStream(new Tee(err, log), true, StandardCharsets.UTF_8));
            r = own.http.send(HttpRequest.newBuilder(URI.create(own.url("/scenes/" + scene + "/files/original/s.splat")))
                    .header("Authorization", bearer).header("X-Request-Id", "bug-report-42").GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(500, r.statusCode(), r.body());
            own.server.awaitIdle(java.time.Duration.ofSeconds(10));
        } finally {
            broken = false;
            System.setErr(err);
        }
        assertProblem(r, "internal");
        JsonNode p = JSON.readTree(r.body());
        assertEquals("bug-report-42", p.path("request_id").asText(), r.body());
        assertEquals("bug-report-42", r.headers().firstValue("X-Request-Id").orElse(""));
        for (String leak : new String[]{"injected", "IllegalStateException", "\tat ", "dev.vsa", "Proxy"}) {
            assertFalse(r.body().contains(leak), "the body shows '" + leak + "': " + r.body());
        }
        String logged = log.toString(StandardCharsets.UTF_8);
        assertEquals(1, count(logged, BUG), "logged once: " + logged);
        assertEquals(1, count(logged, "bug-report-42"), "the log line names the request: " + logged);
        assertEquals(1, count(logged, "java.lang.IllegalStateException: " + BUG), "with its stack trace: " + logged);

        // The server is fine afterwards: the same download works.
        HttpResponse<String> again = own.get("/scenes/" + scene + "/files/original/s.splat", bearer);
        assertEquals(200, again.statusCode(), again.body());
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
            n++;
        }
        return n;
    }

    /** Writes to both streams: the test's output keeps the log, and the test reads it. */
    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public synchronized void write(int c) throws java.io.IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public synchronized void write(byte[] buf, int off, int len) throws java.io.IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }
    }
}
