package dev.vsa.processing;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.util.concurrent.CountDownLatch;

/**
 * A job with a real side effect: writes {@code scenes/{scene}/outputs/result.txt} and upserts its
 * {@code scene_files} row, as process jobs do. With {@code hang}, it stops after storing the object and before
 * completing, forever (until its process is killed).
 */
final class OutputHandler implements JobHandler {
    static final String KIND = "output";
    private final boolean hang;

    OutputHandler(boolean hang) {
        this.hang = hang;
    }

    @Override
    public void run(JobContext ctx) throws Exception {
        ctx.inTransaction(tx -> {
            try (PreparedStatement ps = tx.prepareStatement("INSERT INTO t.runs VALUES (?, ?, ?)")) {
                ps.setObject(1, ctx.job().id());
                ps.setInt(2, ctx.job().attempts());
                ps.setString(3, hang ? "child" : "parent");
                ps.executeUpdate();
            }
        });
        String key = SceneService.outputKey(ctx.job().sceneId(), "result.txt");
        byte[] body = ("made by attempt " + ctx.job().attempts()).getBytes(StandardCharsets.UTF_8);
        ctx.store().put(key, new ByteArrayInputStream(body), body.length, "text/plain");
        ctx.progress(60, "stored");
        if (hang) {
            new CountDownLatch(1).await(); // until SIGKILL
        }
        ctx.complete(tx -> {
            try (PreparedStatement ps = tx.prepareStatement("INSERT INTO scene_files (scene_id, kind, name, storage_key, "
                    + "size_bytes, content_type) VALUES (?, 'output', 'result.txt', ?, ?, 'text/plain') "
                    + "ON CONFLICT (scene_id, name) DO UPDATE SET size_bytes = EXCLUDED.size_bytes")) {
                ps.setObject(1, ctx.job().sceneId());
                ps.setString(2, key);
                ps.setLong(3, body.length);
                ps.executeUpdate();
            }
        });
    }
}
