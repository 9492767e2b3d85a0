package dev.vsa.processing;

import java.util.Locale;

/** Formats a scene can be converted to on request. */
public enum ConversionTarget {
    SPZ("scene.spz", "application/octet-stream"),
    GLB("scene.glb", "model/gltf-binary"),
    PLY("scene.ply", "application/octet-stream"),
    SPLAT("scene.splat", "application/octet-stream");

    private final String outputName;
    private final String contentType;

    ConversionTarget(String outputName, String contentType) {
        this.outputName = outputName;
        this.contentType = contentType;
    }

    /** {@code spz}, {@code glb}, {@code ply} or {@code splat}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The output's file name within the scene (deterministic: a re-run overwrites it). */
    public String outputName() {
        return outputName;
    }

    public String contentType() {
        return contentType;
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
