package dev.vsa.processing;

import dev.vsa.core.gltf.GltfConverter;
import dev.vsa.core.scene.DetectedScene;
import dev.vsa.core.scene.SceneKind;
import dev.vsa.core.scene.Scenes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A conversion asked for after processing: payload {@code {"to": "spz|glb|ply|splat"}}. Writes
 * {@code scene.<ext>} (replacing an earlier one). The scene's status is not changed; a failure stays on the job.
 */
final class ConvertJobHandler implements JobHandler {
    @Override
    public void run(JobContext ctx) throws Exception {
        SceneWork.runCleaningUp(ctx, this::steps);
    }

    private void steps(JobContext ctx) throws Exception {
        UUID sceneId = ctx.job().sceneId();
        ConversionTarget target;
        try {
            target = ConversionTarget.parse(ctx.job().payload().path("to").asText(null));
        } catch (IllegalArgumentException e) {
            throw new JobFailedException(e.getMessage(), true);
        }
        List<SceneWork.Original> originals = new ArrayList<>();
        SceneWork.Recorded[] recorded = new SceneWork.Recorded[1];
        ctx.inTransaction(c -> {
            recorded[0] = SceneWork.recorded(c, sceneId);
            if (recorded[0] != null) {
                originals.addAll(SceneWork.originals(c, sceneId));
            }
        });
        if (recorded[0] == null) {
            throw new JobFailedException("the scene was deleted", true);
        }
        Path in = Files.createDirectories(ctx.workDir().resolve("in"));
        Path main = SceneWork.fetch(ctx, originals, recorded[0], in);
        ctx.progress(10, "detect");
        DetectedScene d = Scenes.detect(main);
        Path out = ctx.workDir().resolve(target.outputName());
        if (d.kind() == SceneKind.SPLAT) {
            try {
                SceneWork.convertSplats(main, out, target.file().format(), ctx.progress(15, 90, "convert"));
            } catch (UnsupportedOperationException e) {
                throw new JobFailedException("cannot convert to " + target.id() + ": " + e.getMessage(), true, e);
            }
        } else if (target == ConversionTarget.GLB) {
            ctx.progress(15, "convert");
            GltfConverter.toGlb(main, out);
        } else {
            throw new JobFailedException("a mesh scene cannot be converted to " + target.id()
                    + " (splat format); only glb is possible", true);
        }
        SceneWork.Output o = new SceneWork.Output(target.outputName(), out, SceneFile.Kind.OUTPUT, target.contentType());
        SceneWork.upload(ctx, sceneId, List.of(o));
        ctx.progress(98, "finish");
        try {
            ctx.complete(tx -> {
                SceneWork.record(tx, sceneId, List.of(o));
            });
        } catch (JobStoppedException e) {
            throw e;
        } catch (SQLException e) {
            if ("23503".equals(e.getSQLState())) {
                throw new JobFailedException("the scene was deleted", true, e);
            }
            throw e;
        }
    }
}
