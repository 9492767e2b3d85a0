package dev.vsa.processing;

import java.util.Locale;

/** Formats a scene can be converted to on request. */
public enum ConversionTarget {
    SPZ(SplatOutput.SPZ),
    GLB(SplatOutput.GLB),
    PLY(SplatOutput.PLY),
    SPLAT(SplatOutput.SPLAT);

    private final SplatOutput file;

    ConversionTarget(SplatOutput file) {
        this.file = file;
    }

    /** The file it makes: name, format and content type as a process job's output of that format. */
    SplatOutput file() {
        return file;
    }

    /** {@code spz}, {@code glb}, {@code ply} or {@code splat}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The output's file name within the scene (deterministic: a re-run overwrites it). */
    public String outputName() {
        return file.fileName();
    }

    public String contentType() {
        return file.contentType();
    }

    /**
     * @throws IllegalArgumentException naming the value and the accepted ones
     */
    public static ConversionTarget parse(String id) {
        if (id != null) {
            for (ConversionTarget t : values()) {
                if (t.id().equals(id.toLowerCase(Locale.ROOT))) {
                    return t;
                }
            }
        }
        throw new IllegalArgumentException("unknown conversion target '" + id + "' (spz, glb, ply or splat)");
    }
}
