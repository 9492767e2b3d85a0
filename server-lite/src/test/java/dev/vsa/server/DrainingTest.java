package dev.vsa.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static dev.vsa.server.AuthApiTest.assertProblem;
import static dev.vsa.server.TestStack.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A graceful stop: while a request is still in flight, {@code /readyz} answers 503 "shutting down" with Retry-After
 * (load balancers stop sending) and the server keeps answering; it stops once the request has ended.
 */
class DrainingTest {
    @Test
    void close_whileAnUploadIsInFlight_readyz503ShuttingDown_thenStopsWhenItEnds() throws Exception {
        TestStack s = TestStack.custom("drain", Map.of(), Map.of(ServerConfig.SHUTDOWN_GRACE, "120"));
        String bearer = s.newAccount("drain").bearer();
        URI base = URI.create(s.server.baseUrl());
        CompletableFuture<Void> closed;
        try (Socket slow = new Socket(base.getHost(), base.getPort())) {
            // An upload that sends its headers and part of its body, then nothing: in flight until the socket closes.
            OutputStream out = slow.getOutputStream();
            String head = "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"slow.splat\"\r\n"
                    + "Content-Type: application/octet-stream\r\n\r\n";
            out.write(("POST /upload/ HTTP/1.1\r\nHost: " + base.getHost() + "\r\nAuthorization: " + bearer
                    + "\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: 100000\r\n\r\n" + head)
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[320]);
            out.flush();
            dev.vsa.processing.ProcessingTestSupport.await("the upload is in flight",
                    () -> !s.server.awaitIdle(java.time.Duration.ZERO));

            closed = CompletableFuture.runAsync(s.server::close);
            HttpResponse<String> r;
            long deadline = System.nanoTime() + 60_000_000_000L;
            do {
                r = s.get("/readyz", null);
            } while (r.statusCode() == 200 && System.nanoTime() < deadline);
            assertEquals(503, r.statusCode(), r.body());
            assertProblem(r, "unavailable");
            JsonNode p = JSON.readTree(r.body());
            assertEquals("shutting down", p.path("detail").asText(), r.body());
            assertEquals("5", r.headers().firstValue("Retry-After").orElse(""));
            assertEquals(200, s.get("/healthz", null).statusCode(), "still serving while it drains");
            assertFalse(closed.isDone(), "waits for the request in flight");
        }
        closed.get(60, java.util.concurrent.TimeUnit.SECONDS); // the client went away: the server stops
        assertTrue(closed.isDone());
    }
}
