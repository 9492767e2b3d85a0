package dev.vsa.processing;

import dev.vsa.processing.internal.WebhookSigner;
import dev.vsa.processing.internal.WebhookTargets;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Sends one webhook delivery ({@code webhook} jobs): a POST of the event's JSON signed with the endpoint's
 * secret(s). A 2xx answer delivers it; any other answer, a timeout or a refused connection is retried with the
 * queue's backoff up to {@code webhooks.max-attempts}, then the delivery is marked failed. Redirects are not
 * followed; a target that now resolves to a private address fails at once. At most 1 KiB of an answer is read.
 */
final class WebhookJobHandler implements JobHandler {
    private static final int MAX_ANSWER_BYTES = 1024;

    private final HttpClient http;
    private final WebhookTargets targets;
    private final Duration timeout;

    WebhookJobHandler(ProcessingConfig config) {
        this.timeout = config.webhooksTimeout();
        this.targets = new WebhookTargets(config.webhooksAllowPrivate());
        this.http = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    private record Target(String url, String payload, List<String> secrets, String state) {
    }

    @Override
    public void run(JobContext ctx) throws Exception {
        UUID delivery = UUID.fromString(ctx.job().payload().path("delivery_id").asText());
        Target t = load(ctx, delivery);
        if (t == null || !t.state.equals("pending")) {
            ctx.complete(tx -> { });      // the endpoint was deleted, or a previous run delivered it
            return;
        }
        URI uri;
        try {
            uri = targets.check(t.url);
        } catch (WebhookTargets.RefusedTarget e) {
            throw new JobFailedException("target refused: " + e.getMessage(), true);
        }
        byte[] body = t.payload.getBytes(StandardCharsets.UTF_8);
        long now = Instant.now().getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "vsa-webhooks")
                .header("webhook-id", delivery.toString())
                .header("webhook-timestamp", Long.toString(now))
                .header("webhook-signature", WebhookSigner.signature(t.secrets, delivery.toString(), now, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        int status;
        String answer;
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            status = response.statusCode();
            try (InputStream in = response.body()) {
                answer = new String(in.readNBytes(MAX_ANSWER_BYTES), StandardCharsets.UTF_8).strip();
            }
        } catch (IOException e) {
            String reason = "no answer: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            record(ctx, delivery, null, reason);
            throw new IOException(reason, e);
        }
        if (status >= 200 && status < 300) {
            int attempt = ctx.job().attempts();
            ctx.complete(tx -> {
                try (PreparedStatement ps = tx.prepareStatement("UPDATE webhook_deliveries SET state = 'delivered', "
                        + "attempts = ?, last_status = ?, last_error = NULL, last_attempt_at = clock_timestamp(), "
                        + "delivered_at = clock_timestamp() WHERE id = ?")) {
                    ps.setInt(1, attempt);
                    ps.setInt(2, status);
                    ps.setObject(3, delivery);
                    ps.executeUpdate();
                }
            });
            return;
        }
        String reason = "the receiver answered " + status + (answer.isEmpty() ? "" : ": " + oneLine(answer));
        record(ctx, delivery, status, reason);
        throw new IOException(reason);
    }

    private static String oneLine(String s) {
        String line = s.replaceAll("\\s+", " ");
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }

    private static Target load(JobContext ctx, UUID delivery) throws SQLException {
        Target[] out = new Target[1];
        ctx.inTransaction(tx -> {
            try (PreparedStatement ps = tx.prepareStatement("SELECT d.payload::text AS payload, d.state, w.url, "
                    + "w.secret, w.previous_secret, w.previous_until > clock_timestamp() AS previous_valid "
                    + "FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE d.id = ?")) {
                ps.setObject(1, delivery);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        List<String> secrets = new ArrayList<>();
                        secrets.add(rs.getString("secret"));
                        if (rs.getBoolean("previous_valid") && rs.getString("previous_secret") != null) {
                            secrets.add(rs.getString("previous_secret"));
                        }
                        out[0] = new Target(rs.getString("url"), rs.getString("payload"), secrets, rs.getString("state"));
                    }
                }
            }
        });
        return out[0];
    }

    private static void record(JobContext ctx, UUID delivery, Integer status, String error) throws SQLException {
        int attempt = ctx.job().attempts();
        ctx.inTransaction(tx -> {
            try (PreparedStatement ps = tx.prepareStatement("UPDATE webhook_deliveries SET attempts = ?, last_status = ?, "
                    + "last_error = ?, last_attempt_at = clock_timestamp() WHERE id = ? AND state = 'pending'")) {
                ps.setInt(1, attempt);
                ps.setObject(2, status);
                ps.setString(3, error);
                ps.setObject(4, delivery);
                ps.executeUpdate();
            }
        });
    }

    @Override
    public void onGiveUp(Connection tx, Job job, String reason, boolean cancelled, Throwable cause) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement("UPDATE webhook_deliveries SET state = 'failed', attempts = ?, "
                + "last_error = ?, last_attempt_at = coalesce(last_attempt_at, clock_timestamp()) WHERE id = ? AND state = 'pending'")) {
            ps.setInt(1, job.attempts());
            ps.setString(2, reason);
            ps.setObject(3, UUID.fromString(job.payload().path("delivery_id").asText()));
            ps.executeUpdate();
        }
    }
}
