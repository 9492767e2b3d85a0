package dev.vsa.processing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vsa.core.gltf.GltfInspection;
import dev.vsa.core.gltf.GltfInspector;
import dev.vsa.core.inspect.SplatInspection;
import dev.vsa.core.inspect.SplatInspector;
import dev.vsa.core.progress.ProgressListener;
import dev.vsa.core.scene.DetectedScene;
import dev.vsa.core.scene.SceneKind;
import dev.vsa.core.error.MalformedInputException;
import dev.vsa.core.splat.ConvertOptions;
import dev.vsa.core.splat.SplatFileInfo;
import dev.vsa.core.splat.SplatFormat;
import dev.vsa.core.splat.Splats;
import dev.vsa.core.splat.WriteOptions;
import dev.vsa.core.validate.Issue;
import dev.vsa.core.validate.Severity;
import dev.vsa.core.validate.ValidationReport;
import dev.vsa.core.validate.Validator;
import dev.vsa.processing.internal.Json;
import dev.vsa.processing.storage.ObjectStore;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/** The steps process and convert jobs share: fetch originals, inspect and convert with core, store outputs. */
final class SceneWork {
    private SceneWork() {
    }

    /** An original as the scene_files table lists it. */
    record Original(String name, String key, long size) {
    }

    /** The scene's originals, main file first (its key ends in {@code /0}). */
    static List<Original> originals(Connection c, UUID sceneId) throws SQLException {
        List<Original> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT name, storage_key, size_bytes FROM scene_files "
                + "WHERE scene_id = ? AND kind = 'original' ORDER BY length(storage_key), storage_key")) {
            ps.setObject(1, sceneId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Original(rs.getString(1).substring("original/".length()), rs.getString(2), rs.getLong(3)));
                }
            }
        }
        return out;
    }

    /** What a job knows of its scene before fetching: its recorded SHA-256, null until a job has hashed it. */
    record Recorded(String sha256) {
    }

    /** The scene's recorded state, or null if the scene is gone. */
    static Recorded recorded(Connection c, UUID sceneId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT sha256 FROM scenes WHERE id = ?")) {
            ps.setObject(1, sceneId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Recorded(rs.getString(1)) : null;
            }
        }
    }

    /**
     * Downloads the originals into {@code dir} with their (cleaned) relative names, so a .gltf finds its
     * resources. The main file is hashed as it arrives: checked against the recorded SHA-256, or recorded if the
     * scene has none yet (uploads leave that to the first job).
     *
     * @return the main file
     */
    static Path fetch(JobContext ctx, List<Original> originals, Recorded recorded, Path dir) throws IOException, SQLException {
        if (originals.isEmpty()) {
            throw new JobFailedException("the scene has no original file", true);
        }
        Path main = null;
        long total = originals.stream().mapToLong(Original::size).sum();
        long done = 0;
        ProgressListener p = ctx.progress(0, 10, "fetch");
        for (Original o : originals) {
            Path target = dir.resolve(SceneService.cleanName(o.name(), null)).normalize();
            if (!target.startsWith(dir)) {
                throw new JobFailedException("unsafe original name " + o.name(), true);
            }
            Files.createDirectories(target.getParent());
            MessageDigest md = Digests.sha256();
            try (InputStream in = new DigestInputStream(ctx.store().get(o.key()), md)) {
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
            if (main == null) {
                main = target;
                String got = HexFormat.of().formatHex(md.digest());
                if (recorded.sha256() == null) {
                    UUID sceneId = ctx.job().sceneId();
                    ctx.inTransaction(c -> {
                        try (PreparedStatement ps = c.prepareStatement("UPDATE scenes SET sha256 = ? WHERE id = ? AND sha256 IS NULL")) {
                            ps.setString(1, got);
                            ps.setObject(2, sceneId);
                            ps.executeUpdate();
                        }
                    });
                } else if (!got.equals(recorded.sha256())) {
                    throw new IOException("original " + o.key() + " has SHA-256 " + got + ", recorded " + recorded.sha256());
                }
            }
            done += o.size();
            p.progress(done, total);
        }
        return main;
    }

    /** The validation summary stored on the scene. */
    static ObjectNode summary(ValidationReport r, boolean validatorAvailable) {
        ObjectNode s = Json.object();
        s.put("validator", r.validatorVersion());
        if (!validatorAvailable) {
            // core has no validator for this format yet: say so instead of claiming valid or invalid.
            s.putNull("valid");
            s.put("note", "no validator for this format yet; the file was checked by reading it whole");
            return s;
        }
        s.put("valid", r.isValid());
        s.put("numErrors", r.issues().numErrors());
        s.put("numWarnings", r.issues().numWarnings());
        s.put("numInfos", r.issues().numInfos());
        s.put("numHints", r.issues().numHints());
        s.put("truncated", r.issues().truncated());
        ArrayNode first = s.putArray("firstErrors");
        for (Issue i : r.issues().messages()) {
            if (i.severity() == Severity.ERROR && first.size() < 5) {
                first.add(i.toString());
            }
        }
        return s;
    }

    /** True if the report holds only "no validator recognises this file" (a gap of core, not of the file). */
    static boolean validatorUnavailable(ValidationReport r) {
        return r.issues().numErrors() == 1 && r.issues().messages().size() == 1
                && Validator.UNKNOWN_FORMAT.equals(r.issues().messages().get(0).code());
    }

    /**
     * Refuses a splat file whose headers declare far more splats than its bytes can hold in real data, before any
     * pass over it ({@link Splats#declared}: headers only; a SOG's images are not decoded): decoded, its splats would
     * take more than {@code maxRatio} times the input's bytes ({@link Limits#uploadZipMaxRatio()}, the bound an
     * uploaded zip gets; the input is every file it is made of: an unbundled SOG's images, a LOD set's units).
     * Compression of real splat data stays well under that (SPZ decodes to about 4 times its size, SOG to 10-25);
     * a 1.8 MB gzip SPZ whose header and stream agree on 99M identical splats is 3,000 times, and held a worker for
     * two full inflations before failing; a SOG of constant images declares millions of splats in a few KB. Formats
     * whose count is bounded by their bytes (PLY, .splat, .ksplat) pass by construction. A file that cannot be
     * opened is left to validation, which reports it.
     *
     * @throws JobFailedException (permanent) naming the count and the limit
     */
    static void checkDeclaredSize(Path main, int maxRatio) throws IOException {
        SplatFileInfo info;
        try {
            info = Splats.declared(main);
        } catch (MalformedInputException | UnsupportedOperationException e) {
            return;
        }
        long size = Math.max(Files.size(main), info.fileSize());
        long decoded = info.count() * Float.BYTES * info.layout().stride(); // count <= 2^31, stride < 2^10
        if (info.count() > 0 && decoded / maxRatio > size) {
            throw new JobFailedException("the file declares " + info.count() + " splats (" + decoded + " bytes decoded), "
                    + "more than " + maxRatio + " times its " + size + " bytes (" + Limits.UPLOAD_ZIP_MAX_RATIO + ")", true);
        }
    }

    /**
     * Reads every splat once with core's {@link SplatInspector} (so bad data surfaces as
     * {@link dev.vsa.core.error.MalformedInputException}) and records count, SH degree, bounds and column
     * statistics.
     */
    static void inspectSplats(Path main, ObjectNode meta, ProgressListener progress) throws IOException {
        SplatInspection i = SplatInspector.inspect(main, progress);
        meta.put("splatCount", i.count());
        meta.put("shDegree", i.shDegree());
        meta.put("splatFormat", i.format());
        if (i.version() != 0) {
            meta.put("formatVersion", String.valueOf(i.version()));
        }
        if (!i.variant().isEmpty()) {
            meta.put("variant", i.variant());
        }
        if (!i.extras().isEmpty()) {
            meta.set("extraProperties", Json.MAPPER.valueToTree(i.extras()));
        }
        if (i.bounds() != null) {
            ObjectNode b = meta.putObject("bounds");
            SplatInspection.Bounds x = i.bounds();
            b.set("min", Json.MAPPER.valueToTree(List.of(x.minX(), x.minY(), x.minZ())));
            b.set("max", Json.MAPPER.valueToTree(List.of(x.maxX(), x.maxY(), x.maxZ())));
        }
        meta.put("bytesPerSplat", i.bytesPerSplat());
        meta.set("columns", Json.MAPPER.valueToTree(i.columns()));
    }

    /** Records what a mesh glTF holds: totals, bytes by use, counts, asset and extensions. */
    static void inspectGltf(Path main, ObjectNode meta) throws IOException {
        GltfInspection g = GltfInspector.inspect(main);
        meta.put("container", g.container());
        meta.set("asset", Json.MAPPER.valueToTree(g.asset()));
        meta.set("extensionsUsed", Json.MAPPER.valueToTree(g.extensionsUsed()));
        meta.put("meshCount", g.meshes().size());
        meta.put("materialCount", g.materials().size());
        meta.put("textureCount", g.textures().size());
        meta.put("imageCount", g.images().size());
        meta.put("animationCount", g.animations().size());
        meta.put("nodeCount", g.nodes().size());
        meta.set("totals", Json.MAPPER.valueToTree(g.totals()));
        meta.put("triangleCount", g.totals().totalTriangleCount());
        meta.put("vertexCount", g.totals().totalVertexCount());
        meta.set("bytes", Json.MAPPER.valueToTree(g.bytes()));
    }

    /** Converts with core's {@link Splats#convert} (temp file + rename: no partial output on failure). */
    static void convertSplats(Path in, Path out, SplatFormat format, ProgressListener progress) throws IOException {
        Splats.convert(in, out, new ConvertOptions(format, WriteOptions.DEFAULTS, List.of()), progress);
    }

    /** As {@link #convertSplats(Path, Path, SplatFormat, ProgressListener)} with a scene's processing options. */
    static void convertSplats(Path in, Path out, SplatFormat format, ProcessingOptions options,
                              ProgressListener progress) throws IOException {
        convertSplats(in, out, format, options, options.spzWriteVersion(), progress);
    }

    /** As above, writing SPZ at {@code spzVersion} whatever the options ask (the viewer's file). */
    static void convertSplats(Path in, Path out, SplatFormat format, ProcessingOptions options, int spzVersion,
                              ProgressListener progress) throws IOException {
        Splats.convert(in, out, new ConvertOptions(format, new WriteOptions(spzVersion), options.steps()), progress);
    }

    /** The storage keys of the scene's rows named {@code names} (the objects a re-processing may replace). */
    static List<String> keysOf(Connection tx, UUID sceneId, List<String> names) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = tx.prepareStatement("SELECT storage_key FROM scene_files WHERE scene_id = ? "
                + "AND name = ANY (?) AND kind <> 'original'")) {
            ps.setObject(1, sceneId);
            ps.setArray(2, tx.createArrayOf("text", names.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /** Whether a detected scene holds splats. */
    static boolean splats(DetectedScene d) {
        return d.kind() == SceneKind.SPLAT;
    }

    /** An output to record: file on disk, name in the scene, kind. */
    record Output(String name, Path file, SceneFile.Kind kind, String contentType) {
    }

    /** Stores outputs under their deterministic keys (a re-run overwrites). */
    static void upload(JobContext ctx, UUID sceneId, List<Output> outputs) throws IOException {
        upload(ctx, outputs, name -> SceneService.outputKey(sceneId, name));
    }

    /** Stores outputs under the keys {@code key} gives their names. */
    static void upload(JobContext ctx, List<Output> outputs, java.util.function.UnaryOperator<String> key)
            throws IOException {
        long total = 0;
        for (Output o : outputs) {
            total += Files.size(o.file());
        }
        long max = ctx.config().limits().jobMaxOutputBytes();
        if (total > max) {
            // Checked before a byte is stored: a small input that expands past the limit fails with this reason.
            throw new JobFailedException("the outputs would take " + total + " bytes, more than one job may store ("
                    + Limits.JOB_MAX_OUTPUT_BYTES + " = " + max + ")", true);
        }
        ctx.progress(90, "upload");
        for (Output o : outputs) {
            ctx.store().put(key.apply(o.name()), o.file(), o.contentType());
            ctx.checkpoint();
        }
    }

    /** Upserts the outputs' rows: one row per (scene, name), whatever the number of runs. */
    static void record(Connection tx, UUID sceneId, List<Output> outputs) throws SQLException {
        record(tx, sceneId, outputs, name -> SceneService.outputKey(sceneId, name));
    }

    /** As {@link #record(Connection, UUID, List)} with the keys {@code key} gives the names. */
    static void record(Connection tx, UUID sceneId, List<Output> outputs, java.util.function.UnaryOperator<String> key)
            throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement("INSERT INTO scene_files (scene_id, kind, name, storage_key, "
                + "size_bytes, content_type) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (scene_id, name) DO UPDATE SET "
                + "kind = EXCLUDED.kind, storage_key = EXCLUDED.storage_key, size_bytes = EXCLUDED.size_bytes, "
                + "content_type = EXCLUDED.content_type, created_at = now()")) {
            for (Output o : outputs) {
                ps.setObject(1, sceneId);
                ps.setString(2, o.kind().id());
                ps.setString(3, o.name());
                ps.setString(4, key.apply(o.name()));
                try {
                    ps.setLong(5, Files.size(o.file()));
                } catch (IOException e) {
                    throw new SQLException("cannot size output " + o.file(), e);
                }
                ps.setString(6, o.contentType());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** A scene job's work, run by {@link #runCleaningUp}. */
    interface Steps {
        void run(JobContext ctx) throws Exception;
    }

    /**
     * Runs a scene job's steps; if they fail and the scene was deleted meanwhile, removes what this run stored
     * under the scene's prefix, so a deleted scene leaves no orphan outputs. The failure is rethrown.
     */
    static void runCleaningUp(JobContext ctx, Steps steps) throws Exception {
        try {
            steps.run(ctx);
        } catch (Exception e) {
            try {
                ctx.inTransaction(c -> cleanUpIfDeleted(c, ctx.store(), ctx.job().sceneId()));
            } catch (java.sql.SQLException | RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /**
     * Queues the removal of a scene's objects if the scene row is gone (deleted while a job ran on it and stored
     * outputs after the delete's own purge ran): through the queue, so a store that is down right now cannot
     * leave them orphaned.
     */
    static void cleanUpIfDeleted(Connection c, ObjectStore store, UUID sceneId) throws SQLException {
        if (sceneId != null && recorded(c, sceneId) == null) {
            SceneService.enqueuePurge(c, sceneId);
        }
    }
}
