package dev.vsa.processing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vsa.core.error.MalformedInputException;
import dev.vsa.core.render.RenderOptions;
import dev.vsa.core.render.RenderResult;
import dev.vsa.core.render.Renderer;

import javax.imageio.ImageIO;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;

/**
 * The pictures every process job makes of its scene: {@code preview.png} (512x512, core's CPU renderer, the auto
 * camera) and a 256x256 thumbnail scaled from it, {@code thumbnail.webp} when a WebP image writer is on the class
 * path, else {@code thumbnail.png}. A preview is a nicety: when it cannot be made (an unsupported feature, the
 * budget spent, memory short) the scene still becomes ready and its metadata says why under {@code preview}.
 *
 * <p>The render budget: at most {@link #TIME_BUDGET} of wall time and {@link #MAX_SPLATS} splats kept in memory
 * (about 250 bytes each with SH degree 3; fewer on a small heap, see {@link RenderOptions#DEFAULT_MAX_SPLATS}):
 * larger files are thinned evenly for the preview. A glTF is rendered if it fits a quarter of the heap.
 */
final class Previews {
    static final String PREVIEW = "preview.png";
    static final String THUMBNAIL_WEBP = "thumbnail.webp";
    static final String THUMBNAIL_PNG = "thumbnail.png";
    /** The names this step may make, for removing what a re-run no longer makes. */
    static final List<String> NAMES = List.of(PREVIEW, THUMBNAIL_WEBP, THUMBNAIL_PNG);
    static final int SIZE = 512;
    static final int THUMBNAIL_SIZE = 256;
    static final Duration TIME_BUDGET = Duration.ofSeconds(60);
    static final int MAX_SPLATS = 2_000_000;

    private Previews() {
    }

    /**
     * Renders {@code scene} into {@code out} and returns the outputs made (none if the preview failed); records
     * the result or the reason of the failure in {@code meta.preview}.
     *
     * @throws CancellationException if the job's thread is interrupted (the job is being stopped)
     */
    static List<SceneWork.Output> make(Path scene, Path out, ObjectNode meta) {
        return make(scene, out, meta, RenderOptions.DEFAULTS.withSize(SIZE, SIZE).withTimeBudget(TIME_BUDGET)
                .withMaxSplats(Math.min(MAX_SPLATS, RenderOptions.DEFAULT_MAX_SPLATS)));
    }

    static List<SceneWork.Output> make(Path scene, Path out, ObjectNode meta, RenderOptions options) {
        ObjectNode info = meta.putObject("preview");
        BufferedImage[] picture = new BufferedImage[1];
        try {
            RenderResult r = Renderer.render(scene, options, (i, image) -> picture[0] = image);
            Path preview = out.resolve(PREVIEW);
            write(picture[0], "png", preview);
            boolean webp = ImageIO.getImageWritersByFormatName("webp").hasNext();
            String thumbName = webp ? THUMBNAIL_WEBP : THUMBNAIL_PNG;
            Path thumb = out.resolve(thumbName);
            write(scale(picture[0], THUMBNAIL_SIZE), webp ? "webp" : "png", thumb);
            info.put("width", r.width()).put("height", r.height()).put("drawn", r.drawn()).put("millis", r.millis());
            return List.of(new SceneWork.Output(PREVIEW, preview, SceneFile.Kind.OUTPUT, "image/png"),
                    new SceneWork.Output(thumbName, thumb, SceneFile.Kind.OUTPUT, webp ? "image/webp" : "image/png"));
        } catch (CancellationException e) {
            throw e;
        } catch (MalformedInputException e) {
            info.put("error", e.code().name() + (e.where() == null ? "" : " at " + e.where()) + ": " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            info.put("error", "the preview could not be made: " + e);
        } catch (OutOfMemoryError e) {
            // The renderer's arrays are gone with its frames: the job goes on without a preview.
            info.put("error", "the preview needed more memory than the worker has");
        }
        return List.of();
    }

    private static void write(BufferedImage image, String format, Path file) throws IOException {
        if (!ImageIO.write(image, format, file.toFile())) {
            throw new IOException("no " + format + " image writer");
        }
    }

    /** Scales to a square of {@code size}, halving with bilinear filtering (a box filter at each 2:1 step). */
    static BufferedImage scale(BufferedImage src, int size) {
        BufferedImage cur = src;
        while (cur.getWidth() > size || cur.getHeight() > size) {
            int w = Math.max(size, cur.getWidth() / 2), h = Math.max(size, cur.getHeight() / 2);
            BufferedImage next = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = next.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(cur, 0, 0, w, h, null);
            g.dispose();
            cur = next;
        }
        return cur;
    }

}
