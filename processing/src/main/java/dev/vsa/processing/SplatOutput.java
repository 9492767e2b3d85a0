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
    SPLAT("scene.splat", SplatFormat.SPLAT, "application/octet-stream"),
    /** The web app viewer's file, when no other file of the scene will do ({@link #viewerFile}): SPZ 3. */
    VIEWER("viewer.spz", SplatFormat.SPZ, "application/octet-stream");

    /**
     * The SPZ version the web app's viewer reads: the last gzip one. Its bundled Spark 2.2.0 finds an SPZ by the
     * gzip magic and inflates it with the browser's DecompressionStream("gzip"); SPZ 4 (zstd, vsa's default) it
     * cannot read. A .splat or .ksplat it also reads is larger (32 bytes a splat; no SH beyond degree 0 or 2).
     */
    static final int VIEWER_SPZ_VERSION = 3;

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

    /**
     * The file the web app's viewer shows for a splat scene, recorded in its metadata as {@code viewerFile}: the
     * smallest file the bundled Spark reads, an SPZ of version {@value #VIEWER_SPZ_VERSION} or older (gzip), so the
     * page never downloads a large original. It is {@code scene.spz} when that is made at version 3; else the
     * original ({@code originalName}) when it is a gzip SPZ kept as it is (no transforms); else {@link #VIEWER},
     * made for the purpose from the splats as the outputs hold them.
     */
    static String viewerFile(ProcessingOptions options, DetectedScene original, String originalName,
                             List<SplatOutput> wanted) {
        if (wanted.contains(SPZ) && options.spzWriteVersion() <= VIEWER_SPZ_VERSION) {
            return SPZ.fileName;
        }
        if (!options.transformsSplats() && original.format().splatFormat() == SplatFormat.SPZ
                && "gzip".equals(original.variant())) {
            return originalName;
        }
        return VIEWER.fileName;
    }

    /** The SPZ version this output is written at (SPZ outputs only). */
    int spzVersion(ProcessingOptions options) {
        return this == VIEWER ? VIEWER_SPZ_VERSION : options.spzWriteVersion();
    }

    private static boolean sameAsOriginal(SplatOutput s, ProcessingOptions options, DetectedScene original) {
        if (options.transformsSplats() || !s.format.id().equals(original.format().id())) {
            return false;
        }
        return s.format != SplatFormat.SPZ || options.spzVersion() == null
                || options.spzVersion().toString().equals(original.version());
    }
}
