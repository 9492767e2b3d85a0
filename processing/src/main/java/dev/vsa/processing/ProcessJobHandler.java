package dev.vsa.processing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vsa.core.error.MalformedInputException;
import dev.vsa.core.gltf.GltfConverter;
import dev.vsa.core.scene.DetectedScene;
import dev.vsa.core.scene.SceneFormat;
import dev.vsa.core.scene.SceneKind;
import dev.vsa.core.scene.Scenes;
import dev.vsa.core.splat.SplatFormat;
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
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The job every upload gets: fetch -> detect -> validate (report stored) -> inspect (metadata) -> convert
 * (splats to .spz and KHR .glb, and the web viewer's SPZ 3 when needed; .gltf to .glb) -> preview picture and thumbnail ({@link Previews}; a failed
 * preview is noted in the metadata, not fatal) -> store outputs -> scene ready. An invalid file ends the job at
 * once: scene {@code invalid} with the report, original kept. Idempotent: outputs have fixed names and keys,
 * rows are upserted, so a re-run after a crash overwrites what the first run wrote.
 *
 * <p>The payload's {@link ProcessingOptions} choose the outputs (spz, glb, sog, ply, preview), the transforms and
 * frame change applied to the splats on their way to every splat output, and the SPZ version; a job without
 * them makes the defaults. A splat output in the original's own format is skipped only when it would be the same
 * file (no transforms, and for SPZ the same version). The preview shows the transformed splats. A re-processing
 * job ({@link Reprocessing}) stores under keys of its own and removes the replaced objects after it commits.
 */
final class ProcessJobHandler implements JobHandler {
    static final String REPORT = "validation.json";
    /** The outputs this job owns; a re-run that makes fewer removes the rest. */
    static final List<String> OWNED = Stream.concat(Stream.of("scene.spz", "scene.glb", "scene.sog", "scene.ply",
            SplatOutput.VIEWER.fileName(), REPORT),
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
        ProcessingOptions options;
        try {
            options = Reprocessing.options(ctx.job().payload());
        } catch (InvalidRequestException e) {
            throw new JobFailedException("bad processing options: " + e.getMessage(), true, e);
        }
        java.util.function.UnaryOperator<String> key = name -> Reprocessing.outputKey(ctx.job(), name);
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
        if (detected.kind() == SceneKind.SPLAT) { // headers only, before validation's pass over the data
            SceneWork.checkDeclaredSize(main, ctx.config().limits().uploadZipMaxRatio());
        }

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
            int errors = report.issues().numErrors();
            throw new InvalidScene("invalid file: " + errors + (errors == 1 ? " error" : " errors") + first, summary, reportOut, null);
        }

        ObjectNode meta = SceneService.detectedMeta(detected);
        if (report.info() != null) {
            putInfo(meta, report.info());
        }
        List<SceneWork.Output> outputs = new ArrayList<>();
        outputs.add(reportOut);
        ObjectNode unsupported = Json.object();
        try {
            if (detected.kind() == SceneKind.SPLAT) {
                SceneWork.inspectSplats(main, meta, ctx.progress(35, 50, "inspect"));
                List<SplatOutput> wanted = SplatOutput.wanted(options, detected);
                String viewerFile = SplatOutput.viewerFile(options, detected, "original/" + originals.get(0).name(), wanted);
                List<SplatOutput> made = new ArrayList<>(wanted);
                if (viewerFile.equals(SplatOutput.VIEWER.fileName())) {
                    made.add(SplatOutput.VIEWER);
                }
                for (int i = 0; i < made.size(); i++) {
                    SplatOutput t = made.get(i);
                    Path f = out.resolve(t.fileName());
                    int from = 50 + 35 * i / made.size(), to = 50 + 35 * (i + 1) / made.size();
                    try {
                        SceneWork.convertSplats(main, f, t.format(), options, t.spzVersion(options),
                                ctx.progress(from, to, "convert"));
                        outputs.add(new SceneWork.Output(t.fileName(), f, SceneFile.Kind.OUTPUT, t.contentType()));
                    } catch (UnsupportedOperationException e) {
                        // core cannot write this format here (e.g. SOG without WebP): record it, make no output
                        unsupported.put(t.fileName(), e.getMessage());
                        Files.deleteIfExists(f);
                    }
                }
                meta.put("viewerFile", viewerFile); // the file the web app shows (SplatOutput.viewerFile)
            } else {
                ctx.progress(35, "inspect");
                SceneWork.inspectGltf(main, meta);
                if (detected.format() == SceneFormat.GLTF && options.outputs().contains(ProcessingOptions.Output.GLB)) {
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
        if (options.outputs().contains(ProcessingOptions.Output.PREVIEW)) {
            ctx.progress(85, "preview");
            outputs.addAll(Previews.make(previewSource(main, detected, options, outputs, out), out, meta));
        }
        ctx.checkpoint();
        SceneWork.upload(ctx, outputs, key);
        List<String> made = outputs.stream().map(SceneWork.Output::name).toList();
        List<String> stale = OWNED.stream().filter(n -> !made.contains(n)).toList();
        List<String> replaced = new ArrayList<>();
        ctx.progress(98, "finish");
        try {
            ctx.complete(tx -> {
                replaced.clear();
                replaced.addAll(SceneWork.keysOf(tx, sceneId, OWNED));
                SceneWork.record(tx, sceneId, outputs, key);
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
        // What the rows pointed at before and no longer do: stale outputs, and a re-processing's replaced ones.
        List<String> kept = made.stream().map(key).toList();
        for (String k : replaced) {
            if (!kept.contains(k)) {
                try {
                    ctx.store().delete(k);
                } catch (IOException ignored) {
                    // an unreferenced object under the scene's prefix: removed with the scene
                }
            }
        }
    }

    /**
     * What the preview renders: the original, unless the options transform the splats; then a splat output made
     * with them (a 3DGS PLY of them made for the purpose if none was asked for), so the picture shows what the
     * outputs hold.
     */
    private static Path previewSource(Path main, DetectedScene detected, ProcessingOptions options,
                                      List<SceneWork.Output> outputs, Path out) throws IOException {
        if (detected.kind() != SceneKind.SPLAT || !options.transformsSplats()) {
            return main;
        }
        for (SceneWork.Output o : outputs) {
            if (o.kind() == SceneFile.Kind.OUTPUT && !o.name().endsWith(".sog")) {
                return o.file();
            }
        }
        Path ply = out.resolveSibling("preview-source.ply");
        SceneWork.convertSplats(main, ply, SplatFormat.PLY, options, dev.vsa.core.progress.ProgressListener.NONE);
        return ply;
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
