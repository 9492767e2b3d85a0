package dev.vsa.cli.commands;

import dev.vsa.core.gltf.GltfConverter;
import dev.vsa.core.progress.ProgressListener;
import dev.vsa.core.scene.DetectedScene;
import dev.vsa.core.scene.SceneKind;
import dev.vsa.core.scene.Scenes;
import dev.vsa.core.splat.SplatBatch;
import dev.vsa.core.splat.SplatFormat;
import dev.vsa.core.splat.SplatReader;
import dev.vsa.core.splat.SplatWriter;
import dev.vsa.core.splat.Splats;
import dev.vsa.core.splat.WriteOptions;

import java.io.IOException;
import java.nio.file.Path;

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
    record Options(SplatFormat to, WriteOptions write, boolean embed) {
    }

    /**
     * Converts {@code in} (format found by content) to {@code out}.
     *
     * @throws UnsupportedOperationException if {@code in} holds meshes and the target is not glb or gltf
     */
    static Result convert(Path in, Path out, Options options, ProgressListener progress) throws IOException {
        DetectedScene scene = Scenes.detect(in);
        if (scene.kind() == SceneKind.MESH) {
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
        return convertSplats(in, out, options.to(), options.write(), progress);
    }

    /** Reads splats from {@code in} and writes them to {@code out} as {@code to}, streaming in batches. */
    static Result convertSplats(Path in, Path out, SplatFormat to, WriteOptions options, ProgressListener progress)
            throws IOException {
        try (SplatReader r = Splats.open(in)) {
            var info = r.info();
            try (SplatWriter w = Splats.create(out, to, info.layout(), options)) {
                SplatBatch batch = new SplatBatch(info.layout(), SplatBatch.DEFAULT_CAPACITY);
                long done = 0;
                int n;
                while ((n = r.read(batch)) > 0) {
                    w.write(batch);
                    done += n;
                    progress.progress(done, info.count());
                }
                w.finish();
                return new Result(info.format().id(), to.id(), SceneKind.SPLAT, done, info.layout().shDegree());
            }
        }
    }
}
