package dev.vsa.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vsa.processing.Job;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.UUID;

import static dev.vsa.server.TestStack.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /metrics in the Prometheus text format, and the request id from the request to its job. */
class ObservabilityTest {
    private final TestStack stack = TestStack.shared();

    @Test
    void metrics_afterUpload_reportRouteStatusBytesQueuePoolAndJvm() throws Exception {
        TestStack.Account a = stack.newAccount("metrics");
        byte[] splat = TestStack.splat(20, 7);
        HttpResponse<String> up = stack.upload(a.bearer(), "m.splat", splat);
        assertEquals(201, up.statusCode(), up.body());
        JsonNode scene = JSON.readTree(up.body());
        stack.awaitScene(a.bearer(), scene.path("scene_id").asText(), scene.path("job_id").asText());
        stack.get("/scenes/" + UUID.randomUUID(), a.bearer()); // a 404 on a templated route

        HttpResponse<String> r = stack.get("/metrics", null);
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        String m = r.body();
        assertTrue(m.contains("vsa_http_server_requests_seconds_count{method=\"POST\",route=\"/upload/\",status=\"201\"}"), m);
        assertTrue(m.contains("vsa_http_server_requests_seconds_count{method=\"GET\",route=\"/scenes/{id}\",status=\"404\"}"), m);
        assertTrue(m.contains("vsa_http_server_requests_seconds_bucket{method=\"POST\",route=\"/upload/\",status=\"201\",le="), m);
        assertFalse(m.matches("(?s).*route=\"/scenes/[0-9a-f]{8}-.*"), "a raw path became a label");
        assertTrue(m.contains("vsa_upload_bytes_count "), m);
        assertTrue(m.contains("vsa_jobs_queued{kind=\"process\"}"), m);
        assertTrue(m.contains("vsa_jobs_running{kind=\"convert\"}"), m);
        assertTrue(m.contains("vsa_job_duration_seconds_count{kind=\"process\",outcome=\"completed\"}"), m);
        assertTrue(m.contains("hikaricp_connections_active{pool=\"vsa\"}"), m);
        assertTrue(m.contains("jvm_memory_used_bytes{"), m);
    }

    @Test
    void requestId_echoedAndStoredWithTheJobItQueues() throws Exception {
        TestStack.Account a = stack.newAccount("reqid");
        HttpResponse<String> up = stack.upload(a.bearer(), "r.splat", TestStack.splat(5, 9));
        assertEquals(201, up.statusCode(), up.body());
        String id = up.headers().firstValue("X-Request-Id").orElseThrow();
        assertTrue(id.length() >= 8, id);
        UUID jobId = UUID.fromString(JSON.readTree(up.body()).path("job_id").asText());
        Job job = stack.processing.jobs().get(jobId).orElseThrow();
        assertEquals(id, job.payload().path("request_id").asText());

        HttpResponse<String> other = stack.get("/healthz", null);
        assertFalse(id.equals(other.headers().firstValue("X-Request-Id").orElse(id)), "ids are per request");
    }
}
