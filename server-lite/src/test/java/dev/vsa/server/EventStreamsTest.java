package dev.vsa.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vsa.processing.Job;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import static dev.vsa.server.TestStack.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 1,000 open {@code /jobs/{id}/events} streams on one server: all get their first event, a change reaches every
 * follower of its job through the one shared change feed, authenticated reads meanwhile all succeed, and idle
 * streams cost the database (almost) nothing. Bounded: sockets time out after 30 s, and the jobs are ended at the
 * end so every stream closes by itself.
 */
class EventStreamsTest {
    private static final int STREAMS = 1000;
    private static final int JOBS = 20;
    private final TestStack stack = TestStack.shared();

    /** One raw HTTP/1.1 event stream. */
    private static final class Stream implements AutoCloseable {
        final Socket socket;
        final BufferedReader in;
        final UUID job;

        Stream(int port, String bearer, UUID job) throws IOException {
            this.job = job;
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /jobs/" + job + "/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + bearer
                    + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        }

        /** Reads up to the next event named {@code name}; returns its data line's JSON. */
        JsonNode next(String name) throws IOException {
            boolean inEvent = false;
            for (String l; (l = in.readLine()) != null; ) {
                if (l.startsWith("HTTP/1.1 ") && !l.startsWith("HTTP/1.1 200")) {
                    throw new AssertionError("events of " + job + ": " + l);
                }
                if (l.equals("event: " + name)) {
                    inEvent = true;
                } else if (inEvent && l.startsWith("data: ")) {
                    return JSON.readTree(l.substring(6));
                }
            }
            throw new AssertionError("the stream of " + job + " ended without an '" + name + "' event");
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private long transactions(String url) throws Exception {
        try (Connection c = DriverManager.getConnection(url);
             PreparedStatement ps = c.prepareStatement("SELECT xact_commit + xact_rollback FROM pg_stat_database "
                     + "WHERE datname = current_database()")) {
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void thousandOpenStreams_allFollowTheirJobs_readsStillServed_idleStreamsCostNoQueries() throws Exception {
        TestStack.Account a = stack.newAccount("sse");
        HttpResponse<String> up = stack.upload(a.bearer(), "s.splat", TestStack.splat(10, 7));
        assertEquals(201, up.statusCode(), up.body());
        String sceneId = JSON.readTree(up.body()).path("scene_id").asText();
        UUID owner = UUID.fromString(a.id());
        // Jobs of a kind no worker runs: they stay queued, so their streams stay open until we end them.
        List<UUID> jobs = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            jobs.add(stack.processing.jobs().enqueue("sse-idle", UUID.fromString(sceneId), null));
        }
        String url = stack.processing.databaseUrl();
        List<Stream> streams = new ArrayList<>();
        try {
            // Opened 50 at a time (each opening authenticates and reads: a burst of 1,000 would only test the
            // connection pool's wait limit on a busy machine), then all held open together.
            for (int i = 0; i < STREAMS; i += 50) {
                List<Stream> batch = new ArrayList<>();
                for (int k = i; k < Math.min(STREAMS, i + 50); k++) {
                    batch.add(new Stream(stack.server.port(), a.bearer(), jobs.get(k % JOBS)));
                }
                streams.addAll(batch);
                for (Stream s : batch) {
                    assertEquals("queued", s.next("progress").path("state").asText());
                }
            }

            // Idle: nothing changes; the streams must not poll the database (the old code read every job once a
            // second per stream: ~3,000 transactions here; the worker's own polling makes a few dozen).
            long before = transactions(url);
            long t0 = System.nanoTime();
            Thread.sleep(3_000);
            long idle = transactions(url) - before;
            System.out.printf("EventStreamsTest: %d streams idle %.1f s: %d database transactions%n",
                    STREAMS, (System.nanoTime() - t0) / 1e9, idle);
            assertTrue(idle < 300, "idle event streams made " + idle + " database transactions in 3 s");

            // Authenticated reads are served while the streams are open (their latency is the bench's business;
            // it is printed for the record).
            long[] ms = new long[200];
            for (int i = 0; i < ms.length; i++) {
                long s0 = System.nanoTime();
                HttpResponse<String> r = stack.get("/scenes/" + sceneId, a.bearer());
                ms[i] = (System.nanoTime() - s0) / 1_000_000;
                assertEquals(200, r.statusCode(), r.body());
            }
            Arrays.sort(ms);
            System.out.printf("EventStreamsTest: GET /scenes/{id} with %d open streams: p50 %d ms, p99 %d ms, max %d ms%n",
                    STREAMS, ms[ms.length / 2], ms[ms.length * 99 / 100], ms[ms.length - 1]);

            // A change fans out to every follower of that job, and only to them.
            UUID moved = jobs.get(0);
            try (Connection c = DriverManager.getConnection(url);
                 PreparedStatement ps = c.prepareStatement("WITH u AS (UPDATE jobs SET progress = 37, stage = 'moved' WHERE id = ? "
                         + "RETURNING id) SELECT pg_notify('vsa_job_events', id::text) FROM u")) {
                ps.setObject(1, moved);
                ps.execute();
            }
            for (Stream s : streams) {
                if (s.job.equals(moved)) {
                    JsonNode e = s.next("progress");
                    assertEquals(37, e.path("progress").asInt());
                    assertEquals("moved", e.path("stage").asText());
                }
            }

            // Ending the jobs ends every stream with its 'end' event.
            for (UUID j : jobs) {
                Job c = stack.processing.jobs().cancel(owner, j).orElseThrow();
                assertEquals("cancelled", c.state().id());
            }
            for (Stream s : streams) {
                assertEquals("cancelled", s.next("end").path("state").asText());
            }
        } finally {
            for (Stream s : streams) {
                s.close();
            }
        }
    }
}
