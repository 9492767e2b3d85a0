package dev.vsa.processing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vsa.core.scene.DetectedScene;
import dev.vsa.core.scene.SceneKind;
import dev.vsa.processing.internal.JobQueue;
import dev.vsa.processing.internal.Json;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;

/**
 * Processing options on their way to a process job: checked against the scene, carried in the job's payload
 * ({@code {"options": {...}, "reprocess": true}}), and a new process job for a processed scene.
 *
 * <p>A re-processing job writes its outputs under keys of its own ({@code scenes/{id}/outputs/{job}/{name}}) and
 * points the scene's rows at them only in its final transaction: until it succeeds, the scene keeps serving its
 * old outputs, whole, and a failed run leaves them untouched (what it stored stays under the scene's prefix and
 * goes with the scene).
 */
final class Reprocessing {
    private Reprocessing() {
    }

    /**
     * Refuses options that cannot apply to the scene: transforms and frames change splats, not meshes.
     *
     * @throws InvalidRequestException naming {@code transforms} (or {@code from_frame})
     */
    static void check(ProcessingOptions options, DetectedScene detected) {
        check(options, detected.kind() == SceneKind.SPLAT);
    }

    private static void check(ProcessingOptions options, boolean splats) {
        if (!splats && options.transformsSplats()) {
            throw new InvalidRequestException(options.transforms().isEmpty() ? "from_frame" : "transforms",
                    "transforms and frames apply to splat scenes; this scene is a glTF mesh");
        }
    }

    /** The payload of a process job with these options. */
    static ObjectNode payload(ProcessingOptions options, boolean reprocess) {
        ObjectNode p = Json.object();
        p.set("options", options.toJson());
        if (reprocess) {
            p.put("reprocess", true);
        }
        return p;
    }

    /**
     * The options in a process job's payload; the defaults for a job queued before options existed.
     *
     * @throws InvalidRequestException if the payload's options are bad (not written by this code)
     */
    static ProcessingOptions options(JsonNode payload) {
        return ProcessingOptions.fromJson(payload == null ? null : payload.get("options"));
    }

    /** Whether a process job re-processes a scene (its outputs go under keys of their own until it succeeds). */
    static boolean isReprocess(JsonNode payload) {
        return payload != null && payload.path("reprocess").asBoolean(false);
    }

    /** Where a job stores an output: the fixed key on first processing, a key of the job's own when re-processing. */
    static String outputKey(Job job, String name) {
        return isReprocess(job.payload())
                ? "scenes/" + job.sceneId() + "/outputs/" + job.id() + "/" + name
                : SceneService.outputKey(job.sceneId(), name);
    }

    /**
     * Queues a new process job with {@code options} for the owner's scene, records the options on the scene and
     * marks it {@code processing}, in the caller's transaction. The original is kept; the outputs are replaced
     * when the job succeeds.
     *
     * @return the job, or empty if the owner has no such scene
     * @throws IllegalStateException   if the scene has not finished its processing or a job on it is queued or
     *                                 running
     * @throws InvalidRequestException if the options do not fit the scene
     */
    static Optional<Job> request(Connection c, UUID ownerId, UUID sceneId, ProcessingOptions options, int maxAttempts)
            throws SQLException {
        String status;
        boolean splats;
        // Row lock: two requests at once queue one job; the second sees it and gets the conflict.
        try (PreparedStatement ps = c.prepareStatement("SELECT status, metadata->>'kind' FROM scenes "
                + "WHERE id = ? AND owner_id = ? FOR UPDATE")) {
            ps.setObject(1, sceneId);
            ps.setObject(2, ownerId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                status = rs.getString(1);
                splats = !"mesh".equals(rs.getString(2));
            }
        }
        if (status.equals("uploaded") || status.equals("processing")) {
            throw new IllegalStateException("scene " + sceneId + " is " + status + "; re-process it once its "
                    + "processing has ended");
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT kind FROM jobs WHERE scene_id = ? "
                + "AND state IN ('queued', 'running') LIMIT 1")) {
            ps.setObject(1, sceneId);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    throw new IllegalStateException("a " + rs.getString(1) + " job on scene " + sceneId
                            + " is queued or running; re-process it once that job has ended");
                }
            }
        }
        check(options, splats);
        try (PreparedStatement ps = c.prepareStatement("UPDATE scenes SET status = 'processing', error = NULL, "
                + "processing_options = ?::jsonb, updated_at = clock_timestamp() WHERE id = ?")) {
            ps.setString(1, Json.write(options.toJson()));
            ps.setObject(2, sceneId);
            ps.executeUpdate();
        }
        UUID jobId = JobQueue.enqueue(c, Processing.PROCESS, sceneId, payload(options, true), maxAttempts);
        return JobService.load(c, jobId);
    }
}
