package dev.vsa.processing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vsa.core.error.MalformedInputException;
import dev.vsa.core.gltf.GltfConverter;
import dev.vsa.core.scene.DetectedScene;
import dev.vsa.core.scene.SceneFormat;
import dev.vsa.core.scene.SceneKind;
import dev.vsa.core.scene.Scenes;
import dev.vsa.core.validate.Info;
import dev.vsa.core.validate.ValidationReport;
import dev.vsa.core.validate.Validator;
import dev.vsa.processing.internal.Json;
import dev.vsa.processing.internal.Rows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The job every upload gets: fetch -> detect -> validate (report stored) -> inspect (metadata) -> convert
 * (splats to .spz and KHR .glb; .gltf to .glb) -> preview picture and thumbnail ({@link Previews}; a failed
 * preview is noted in the metadata, not fatal) -> store outputs -> scene ready. An invalid file ends the job at
 * once: scene {@code invalid} with the report, original kept. Idempotent: outputs have fixed names and keys,
 * rows are upserted, so a re-run after a crash overwrites what the first run wrote.
 */
final class ProcessJobHandler implements JobHandler {
    static final String REPORT = "validation.json";
    /** The outputs this job owns; a re-run that makes fewer removes the rest. */
    static final List<String> OWNED = Stream.concat(Stream.of("scene.spz", "scene.glb", REPORT),
            Previews.NAMES.stream()).toList();

    /** The file is invalid: carries the report to store with the failure. */
    static final class InvalidScene extends JobFailedException {
        private static final long serialVersionUID = 1L;
        final transient ObjectNode summary;
        final transient SceneWork.Output report;

        InvalidScene(String reason, ObjectNode summary, SceneWork.Output report, Throwable cause) {
            super(reason, true, cause);
            this.summary = summary;
            this.report = report;
        }
    }

    /** Attempts of the webhook deliveries this job's end queues. */
    private final int webhookAttempts;

    ProcessJobHandler(int webhookAttempts) {
        this.webhookAttempts = webhookAttempts;
    }

    @Override
    public void run(JobContext ctx) throws Exception {
        SceneWork.runCleaningUp(ctx, this::steps);
    }

    private void steps(JobContext ctx) throws Exception {
        UUID sceneId = ctx.job().sceneId();
        List<SceneWork.Original> originals = new ArrayList<>();
        SceneWork.Recorded[] recorded = new SceneWork.Recorded[1];
        ctx.inTransaction(c -> {
            recorded[0] = SceneWork.recorded(c, sceneId);
            if (recorded[0] == null) {
                return;
            }
            originals.addAll(SceneWork.originals(c, sceneId));
            try (PreparedStatement ps = c.prepareStatement("UPDATE scenes SET status = 'processing', error = NULL, "
                    + "updated_at = clock_timestamp() WHERE id = ?")) {
                ps.setObject(1, sceneId);
                ps.executeUpdate();
            }
        });
        if (recorded[0] == null) {
            throw new JobFailedException("the scene was deleted", true);
        }
        Path in = Files.createDirectories(ctx.workDir().resolve("in"));
        Path out = Files.createDirectories(ctx.workDir().resolve("out"));
        Path main = SceneWork.fetch(ctx, originals, recorded[0], in);

        ctx.progress(10, "detect");
        DetectedScene detected = Scenes.detect(main);

        ctx.progress(15, "validate");
        ValidationReport report = Validator.validate(main);
        Path reportFile = out.resolve(REPORT);
        Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(reportFile.toFile(), report);
        SceneWork.Output reportOut = new SceneWork.Output(REPORT, reportFile, SceneFile.Kind.REPORT, "application/json");
        boolean available = !SceneWork.validatorUnavailable(report);
        ObjectNode summary = SceneWork.summary(report, available);
        if (available && !report.isValid()) {
            ctx.store().put(SceneService.outputKey(sceneId, REPORT), reportFile, "application/json");
            String first = summary.withArray("firstErrors").isEmpty() ? "" : ": " + summary.withArray("firstErrors").get(0).asText();
            throw new InvalidScene("invalid file: " + report.issues().numErrors() + " error(s)" + first, summary, reportOut, null);
        }

        ObjectNode meta = Json.object();
        meta.put("kind", detected.kind().name().toLowerCase(Locale.ROOT));
        meta.put("format", detected.format().id());
        if (detected.version() != null) {
            meta.put("formatVersion", detected.version());
        }
        if (!detected.variant().isEmpty()) {
            meta.put("variant", detected.variant());
        }
        meta.put("gaussianSplatting", detected.gaussianSplatting());
        if (report.info() != null) {
            putInfo(meta, report.info());
        }
        List<SceneWork.Output> outputs = new ArrayList<>();
        outputs.add(reportOut);
        ObjectNode unsupported = Json.object();
        try {
            if (detected.kind() == SceneKind.SPLAT) {
                SceneWork.inspectSplats(main, meta, ctx.progress(35, 50, "inspect"));
                for (ConversionTarget t : List.of(ConversionTarget.SPZ, ConversionTarget.GLB)) {
                    if (SceneWork.splatFormat(t).id().equals(detected.format().id())) {
                        continue; // already that format: nothing to make
                    }
                    Path f = out.resolve(t.outputName());
                    int from = t == ConversionTarget.SPZ ? 50 : 70;
                    try {
                        SceneWork.convertSplats(main, f, SceneWork.splatFormat(t), ctx.progress(from, from + 20, "convert"));
                        outputs.add(new SceneWork.Output(t.outputName(), f, SceneFile.Kind.OUTPUT, t.contentType()));
                    } catch (UnsupportedOperationException e) {
                        // core cannot write this format yet: record it, do not pretend an output exists
                        unsupported.put(t.outputName(), e.getMessage());
                        Files.deleteIfExists(f);
                    }
                }
            } else {
                ctx.progress(35, "inspect");
                SceneWork.inspectGltf(main, meta);
                if (detected.format() == SceneFormat.GLTF) {
                    ctx.progress(60, "convert");
                    Path f = out.resolve(ConversionTarget.GLB.outputName());
                    GltfConverter.toGlb(main, f);
                    outputs.add(new SceneWork.Output(ConversionTarget.GLB.outputName(), f, SceneFile.Kind.OUTPUT,
                            ConversionTarget.GLB.contentType()));
                }
            }
        } catch (MalformedInputException e) {
            ctx.store().put(SceneService.outputKey(sceneId, REPORT), reportFile, "application/json");
            throw new InvalidScene("invalid file: " + e, summary, reportOut, e);
        }
        if (!unsupported.isEmpty()) {
            meta.set("conversionsUnavailable", unsupported);
        }
        ctx.checkpoint();
        ctx.progress(85, "preview");
        outputs.addAll(Previews.make(main, out, meta));
        ctx.checkpoint();
        SceneWork.upload(ctx, sceneId, outputs);
        List<String> made = outputs.stream().map(SceneWork.Output::name).toList();
        List<String> stale = OWNED.stream().filter(n -> !made.contains(n)).toList();
        ctx.progress(98, "finish");
        try {
            ctx.complete(tx -> {
                SceneWork.record(tx, sceneId, outputs);
                deleteRows(tx, sceneId, stale);
                setScene(tx, sceneId, "ready", meta, summary, null);
            });
        } catch (JobStoppedException e) {
            throw e;
        } catch (SQLException | RuntimeException e) {
            if (e instanceof SQLException s && "23503".equals(s.getSQLState())) {
                throw new JobFailedException("the scene was deleted", true, e);
            }
            throw e;
        }
        for (String n : stale) {
            try {
                ctx.store().delete(SceneService.outputKey(sceneId, n));
            } catch (IOException ignored) {
                // an unreferenced object under the scene's prefix: removed with the scene
            }
        }
    }

    private static void putInfo(ObjectNode meta, Info info) {
        ObjectNode i = Json.MAPPER.valueToTree(info);
        i.fields().forEachRemaining(e -> {
            if (!meta.has(e.getKey())) {
                meta.set(e.getKey(), e.getValue());
            }
        });
    }

    private static void deleteRows(Connection tx, UUID sceneId, List<String> names) throws SQLException {
        if (names.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = tx.prepareStatement("DELETE FROM scene_files WHERE scene_id = ? AND name = ANY (?) AND kind <> 'original'")) {
            ps.setObject(1, sceneId);
            ps.setArray(2, tx.createArrayOf("text", names.toArray()));
            ps.executeUpdate();
        }
    }

    /** Sets the scene's final status and queues the matching {@code scene.*} webhook event in the same transaction. */
    private void setScene(Connection tx, UUID sceneId, String status, ObjectNode meta, ObjectNode validation, String error)
            throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement("UPDATE scenes SET status = ?, "
                + "metadata = coalesce(?::jsonb, metadata), validation = coalesce(?::jsonb, validation), error = ?, "
                + "updated_at = clock_timestamp() WHERE id = ? RETURNING owner_id, original_filename, format")) {
            ps.setString(1, status);
            ps.setString(2, Json.write(meta));
            ps.setString(3, Json.write(validation));
            ps.setString(4, error);
            ps.setObject(5, sceneId);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    ObjectNode data = Json.object()
                            .put("scene_id", sceneId.toString())
                            .put("status", status)
                            .put("name", rs.getString("original_filename"))
                            .put("format", rs.getString("format"))
                            .put("error", error);
                    WebhookService.emit(tx, Rows.uuid(rs, "owner_id"), "scene." + status, data, webhookAttempts);
                }
            }
        }
    }

    @Override
    public void onGiveUp(Connection tx, Job job, String reason, boolean cancelled, Throwable cause) throws SQLException {
        if (job.sceneId() == null) {
            return;
        }
        if (cause instanceof InvalidScene inv) {
            SceneWork.record(tx, job.sceneId(), List.of(inv.report));
            setScene(tx, job.sceneId(), "invalid", null, inv.summary, reason);
        } else if (cause instanceof MalformedInputException) {
            setScene(tx, job.sceneId(), "invalid", null, null, reason);
        } else {
            setScene(tx, job.sceneId(), "failed", null, null, cancelled ? "processing cancelled" : reason);
        }
    }
}
