package dev.vsa.processing;

import dev.vsa.core.scene.DetectedScene;
import dev.vsa.core.splat.SplatFormat;

import java.util.ArrayList;
import java.util.List;

/**
 * A splat file vsa makes in a scene, by a process job ({@link ProcessingOptions#outputs()}) or a conversion
 * ({@link ConversionTarget}): its name in the scene, the format core writes, its content type.
 */
enum SplatOutput {
    SPZ("scene.spz", SplatFormat.SPZ, "application/octet-stream"),
    GLB("scene.glb", SplatFormat.GLB, "model/gltf-binary"),
    SOG("scene.sog", SplatFormat.SOG, "application/zip"),
    PLY("scene.ply", SplatFormat.PLY, "application/octet-stream"),
    SPLAT("scene.splat", SplatFormat.SPLAT, "application/octet-stream");

    private final String fileName;
    private final SplatFormat format;
    private final String contentType;

    SplatOutput(String fileName, SplatFormat format, String contentType) {
        this.fileName = fileName;
        this.format = format;
        this.contentType = contentType;
    }

    /** The file's name within the scene (deterministic: a re-run overwrites it). */
    String fileName() {
        return fileName;
    }

    SplatFormat format() {
        return format;
    }

    String contentType() {
        return contentType;
    }

    /**
     * The splat files {@code options} ask for, in the order of {@link ProcessingOptions.Output} (spz, glb, sog,
     * ply), less those that would repeat the original: its own format with no transforms (for SPZ, unless another
     * version is asked for).
     */
    static List<SplatOutput> wanted(ProcessingOptions options, DetectedScene original) {
        List<SplatOutput> out = new ArrayList<>();
        for (ProcessingOptions.Output o : options.outputs()) {
            SplatOutput s = switch (o) {
                case SPZ -> SPZ;
                case GLB -> GLB;
                case SOG -> SOG;
                case PLY -> PLY;
                case PREVIEW -> null;
            };
            if (s != null && !sameAsOriginal(s, options, original)) {
                out.add(s);
            }
        }
        return out;
    }

    private static boolean sameAsOriginal(SplatOutput s, ProcessingOptions options, DetectedScene original) {
        if (options.transformsSplats() || !s.format.id().equals(original.format().id())) {
            return false;
        }
        return s.format != SplatFormat.SPZ || options.spzVersion() == null
                || options.spzVersion().toString().equals(original.version());
    }
}
