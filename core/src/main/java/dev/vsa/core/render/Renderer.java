package dev.vsa.core.render;

import dev.vsa.core.scene.DetectedScene;
import dev.vsa.core.scene.SceneKind;
import dev.vsa.core.scene.Scenes;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Renders a picture of any scene file vsa reads, on the CPU: Gaussian splats (any splat format, and glTF/GLB
 * with {@code KHR_gaussian_splatting}) by EWA splatting as the 3D Gaussian Splatting paper describes; glTF/GLB
 * meshes by rasterizing their triangles with a depth buffer, base colour (factor, texture, vertex colours) and
 * simple lighting.
 *
 * <p>The camera frames the scene's bounds: for splats the 2nd to 98th percentile of the splat centres on each
 * axis (so a few floaters far away do not shrink the subject), for meshes the exact bounds. A turntable keeps
 * one distance for all frames, the largest any frame needs. Memory is bounded by
 * {@link RenderOptions#maxSplats()} (splats are read through the streaming reader and kept packed) and by the
 * size limits of the mesh loader; time by {@link RenderOptions#timeBudget()}.
 *
 * <pre>{@code
 * RenderResult r = Renderer.render(Path.of("scene.ply"), RenderOptions.DEFAULTS,
 *         (i, image) -> ImageIO.write(image, "png", Path.of("preview.png").toFile()));
 * }</pre>
 */
public final class Renderer {
    private static final double LOW_PERCENTILE = 2, HIGH_PERCENTILE = 98;
    // The scene frames: splats in the 3DGS PLY frame (y down, z forward), meshes in glTF's (y up, front at +z).
    private static final double[] SPLAT_UP = {0, -1, 0}, SPLAT_FRONT = {0, 0, 1};
    private static final double[] MESH_UP = {0, 1, 0}, MESH_FRONT = {0, 0, -1};

    private Renderer() {
    }

    /**
     * Renders {@code options.frames()} pictures of {@code file} and hands each to {@code sink} as it is made.
     *
     * @return what was rendered
     * @throws dev.vsa.core.error.MalformedInputException if the file is not a scene vsa can read
     *         ({@code UNKNOWN_FORMAT}, a reader's code, {@code UNSUPPORTED_FEATURE} for compressed meshes),
     *         or {@code LIMIT_EXCEEDED} when the file or the view is larger than the renderer accepts or the time
     *         budget is spent
     * @throws java.util.concurrent.CancellationException if the calling thread is interrupted
     * @throws IllegalArgumentException if {@code file} is not a regular file or an argument is null
     * @throws IOException if reading fails or the sink throws
     */
    public static RenderResult render(Path file, RenderOptions options, FrameSink sink) throws IOException {
        if (file == null || options == null || sink == null) {
            throw new IllegalArgumentException("file, options and sink must not be null");
        }
        Budget budget = new Budget(options.timeBudget());
        DetectedScene detected = Scenes.detect(file);
        int w = options.width(), h = options.height();
        if (detected.kind() == SceneKind.SPLAT) {
            SplatScene scene = SplatScene.load(file, options.maxSplats(), budget);
            double[][] box = scene.robustBounds(LOW_PERCENTILE, HIGH_PERCENTILE);
            SplatRasterizer raster = new SplatRasterizer(scene);
            frames(options, box, SPLAT_UP, SPLAT_FRONT, sink,
                    (cam, rgb) -> raster.render(cam, options.background(), rgb, budget));
            return new RenderResult("splats", w, h, options.frames(), scene.inputCount, scene.count,
                    budget.elapsedMillis());
        }
        MeshScene scene = MeshScene.load(file, budget);
        double[][] box = scene.bounds();
        MeshRasterizer raster = new MeshRasterizer(scene);
        frames(options, box, MESH_UP, MESH_FRONT, sink,
                (cam, rgb) -> raster.render(cam, options.background(), rgb, budget));
        return new RenderResult("mesh", w, h, options.frames(), scene.triangleCount, scene.triangleCount,
                budget.elapsedMillis());
    }

    private interface Draw {
        void draw(Camera cam, int[] rgb);
    }

    private static void frames(RenderOptions o, double[][] box, double[] up, double[] front, FrameSink sink,
                               Draw draw) throws IOException {
        int n = o.frames();
        double[][][] bases = new double[n][][];
        double distance = 0;
        for (int i = 0; i < n; i++) {
            bases[i] = Camera.basis(up, front, o.camera().yawDegrees() + 360.0 * i / n, o.camera().pitchDegrees());
            distance = Math.max(distance, Camera.fitDistance(box[0], box[1], bases[i], o.width(), o.height()));
        }
        for (int i = 0; i < n; i++) {
            Camera cam = Camera.looking(box[0], box[1], bases[i], distance, o.width(), o.height());
            BufferedImage image = new BufferedImage(o.width(), o.height(), BufferedImage.TYPE_INT_RGB);
            int[] rgb = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
            draw.draw(cam, rgb);
            sink.frame(i, image);
        }
    }
}
