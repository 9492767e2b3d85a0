package dev.vsa.processing;

import dev.vsa.core.scene.DetectedScene;
import dev.vsa.core.splat.SplatFormat;

import java.util.ArrayList;
import java.util.List;

/** A splat file a process job makes: its name in the scene, the format core writes, its content type. */
record SplatOutput(String name, SplatFormat format, String contentType) {
    static final SplatOutput SPZ = new SplatOutput("scene.spz", SplatFormat.SPZ, "application/octet-stream");
    static final SplatOutput GLB = new SplatOutput("scene.glb", SplatFormat.GLB, "model/gltf-binary");
    static final SplatOutput SOG = new SplatOutput("scene.sog", SplatFormat.SOG, "application/zip");
    static final SplatOutput PLY = new SplatOutput("scene.ply", SplatFormat.PLY, "application/octet-stream");

    /**
     * The splat files {@code options} ask for, in a fixed order (spz, glb, sog, ply), less those that would repeat
     * the original: its own format with no transforms (for SPZ, unless another version is asked for).
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
        out.sort(java.util.Comparator.comparingInt(s -> List.of(SPZ, GLB, SOG, PLY).indexOf(s)));
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
