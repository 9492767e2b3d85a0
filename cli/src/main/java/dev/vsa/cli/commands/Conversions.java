package dev.vsa.cli.commands;

import dev.vsa.core.gltf.GltfConverter;
import dev.vsa.core.progress.ProgressListener;
import dev.vsa.core.scene.DetectedScene;
import dev.vsa.core.scene.SceneKind;
import dev.vsa.core.scene.Scenes;
import dev.vsa.core.splat.ConvertOptions;
import dev.vsa.core.splat.ConvertResult;
import dev.vsa.core.splat.SplatFormat;
import dev.vsa.core.splat.Splats;
import dev.vsa.core.splat.WriteOptions;
import dev.vsa.core.transform.Transform;
import dev.vsa.core.transform.Transforms;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** The conversions convert and batch share: splats between formats, glTF meshes between .gltf and .glb. */
final class Conversions {
    private Conversions() {
    }

    /**
     * Result of one conversion.
     *
     * @param splats   splats written, or null for a mesh conversion
     * @param shDegree SH degree, or null for a mesh conversion
     */
    record Result(String from, String to, SceneKind kind, Long splats, Integer shDegree) {
    }

    /** How to convert. */
    record Options(SplatFormat to, WriteOptions write, boolean embed, List<Transform> transforms) {
    }

    /**
     * Converts {@code in} (format found by content) to {@code out}.
     *
     * @throws UnsupportedOperationException if {@code in} holds meshes and the target is not glb or gltf
     */
    static Result convert(Path in, Path out, Options options, ProgressListener progress) throws IOException {
        DetectedScene scene = Scenes.detect(in);
        if (scene.kind() == SceneKind.MESH) {
            if (!options.transforms().isEmpty()) {
                throw new UnsupportedOperationException(in.getFileName() + " holds glTF meshes: transforms apply to "
                        + "splats only");
            }
            if (options.to() == SplatFormat.GLB) {
                GltfConverter.toGlb(in, out);
            } else if (options.to() == SplatFormat.GLTF) {
                GltfConverter.toGltf(in, out, options.embed());
            } else {
                throw new UnsupportedOperationException(in.getFileName() + " holds glTF meshes, not splats: "
                        + "convert it --to glb or --to gltf");
            }
            return new Result(scene.format().id(), options.to().id(), SceneKind.MESH, null, null);
        }
        ConvertResult r = Splats.convert(in, out, new ConvertOptions(options.to(), options.write(),
                options.transforms()), progress);
        return new Result(r.input().format().id(), r.outputFormat().id(), SceneKind.SPLAT, r.splatsOut(),
                Transforms.outputLayout(r.input().layout(), options.transforms()).shDegree());
    }

    /** Converts splats without transforms. */
    static Result convertSplats(Path in, Path out, SplatFormat to, WriteOptions options, ProgressListener progress)
            throws IOException {
        return convert(in, out, new Options(to, options, false, List.of()), progress);
    }
}
