package dev.vsa.core.render;

import java.util.Locale;

/**
 * Where the camera of a render looks from. Every view is framed on the scene's robust bounds (see
 * {@link Renderer}); they differ only in direction. "Front" is the direction a scene's own frame calls forward:
 * for splats (the 3DGS PLY frame, y down, z forward) the camera looks along +z; for glTF meshes (y up) it looks
 * along -z, at the model's front.
 */
public enum CameraView {
    /** A three-quarter view from the front, a little to the right and above: the usual thumbnail view. */
    AUTO(25, 20),
    /** Straight from the front, level. */
    FRONT(0, 0),
    /** From above, looking down, the front of the scene at the bottom of the picture. */
    TOP(0, 90),
    /** The isometric direction: 45 degrees round, 35.26 degrees above. */
    ISO(45, 35.264);

    private final double yawDegrees;
    private final double pitchDegrees;

    CameraView(double yawDegrees, double pitchDegrees) {
        this.yawDegrees = yawDegrees;
        this.pitchDegrees = pitchDegrees;
    }

    /** Turn round the scene's up axis from the front, in degrees (positive: the camera moves to the right). */
    public double yawDegrees() {
        return yawDegrees;
    }

    /** Elevation above the level view, in degrees (90: from straight above). */
    public double pitchDegrees() {
        return pitchDegrees;
    }

    /** The name used on the command line: {@code auto}, {@code front}, {@code top}, {@code iso}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The view of a command-line name, case-insensitive.
     *
     * @throws IllegalArgumentException if {@code id} names no view
     */
    public static CameraView of(String id) {
        for (CameraView v : values()) {
            if (v.id().equalsIgnoreCase(id)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown camera '" + id + "' (auto, front, top or iso)");
    }
}
