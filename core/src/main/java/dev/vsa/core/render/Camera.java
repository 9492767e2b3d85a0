package dev.vsa.core.render;

/**
 * A pinhole camera: eye position, an orthonormal basis (right, down, forward: image x grows right, image y grows
 * down, depth grows forward), focal lengths in pixels and the image centre. A world point p maps to camera space
 * (r.(p-e), d.(p-e), f.(p-e)) and to pixel (cx + fx x/z, cy + fy y/z), pixel centres at half-integers.
 */
final class Camera {
    /** Vertical field of view. */
    static final double FOV_Y_DEGREES = 40;
    /** Share of the picture's half-size the framed bounds may fill. */
    static final double FILL = 0.92;

    final double ex, ey, ez;
    final double rx, ry, rz;
    final double dx, dy, dz;
    final double fx0, fy0, fz0;
    final double focal;
    final double cx, cy;
    final int width, height;

    private Camera(double[] eye, double[] right, double[] down, double[] forward, double focal, int width, int height) {
        ex = eye[0]; ey = eye[1]; ez = eye[2];
        rx = right[0]; ry = right[1]; rz = right[2];
        dx = down[0]; dy = down[1]; dz = down[2];
        fx0 = forward[0]; fy0 = forward[1]; fz0 = forward[2];
        this.focal = focal;
        this.width = width;
        this.height = height;
        this.cx = width / 2.0;
        this.cy = height / 2.0;
    }

    /** Focal length in pixels for a picture {@code height} pixels high. */
    static double focalFor(int height) {
        return (height / 2.0) / Math.tan(Math.toRadians(FOV_Y_DEGREES / 2));
    }

    /**
     * The camera basis for a view: {right, down, forward}, each a unit vector.
     *
     * @param up    the scene's up direction (unit)
     * @param front the direction the front view looks in (unit, perpendicular to up)
     */
    static double[][] basis(double[] up, double[] front, double yawDegrees, double pitchDegrees) {
        double yaw = Math.toRadians(yawDegrees), pitch = Math.toRadians(pitchDegrees);
        // Turning the camera right round the scene (positive yaw) turns its view direction the other way round up.
        double[] side = cross(front, up); // the front view's right
        double[] h = new double[3];
        for (int i = 0; i < 3; i++) {
            h[i] = Math.cos(yaw) * front[i] - Math.sin(yaw) * side[i];
        }
        double[] right = normalize(cross(h, up));
        double[] forward = new double[3];
        for (int i = 0; i < 3; i++) {
            forward[i] = Math.cos(pitch) * h[i] - Math.sin(pitch) * up[i];
        }
        forward = normalize(forward);
        double[] camUp = cross(right, forward);
        double[] down = {-camUp[0], -camUp[1], -camUp[2]};
        return new double[][]{right, down, forward};
    }

    /**
     * The distance from the box centre at which the whole box fits the picture for this basis.
     *
     * @param lo box minimum corner
     * @param hi box maximum corner
     */
    static double fitDistance(double[] lo, double[] hi, double[][] basis, int width, int height) {
        double focal = focalFor(height);
        double halfW = width / 2.0 * FILL, halfH = height / 2.0 * FILL;
        double[] c = {(lo[0] + hi[0]) / 2, (lo[1] + hi[1]) / 2, (lo[2] + hi[2]) / 2};
        double size = Math.max(1e-6, Math.max(hi[0] - lo[0], Math.max(hi[1] - lo[1], hi[2] - lo[2])));
        double d = size * 1e-3;
        for (int k = 0; k < 8; k++) {
            double[] q = {((k & 1) == 0 ? lo[0] : hi[0]) - c[0], ((k & 2) == 0 ? lo[1] : hi[1]) - c[1],
                    ((k & 4) == 0 ? lo[2] : hi[2]) - c[2]};
            double x = dot(basis[0], q), y = dot(basis[1], q), z = dot(basis[2], q);
            d = Math.max(d, Math.abs(x) * focal / halfW - z);
            d = Math.max(d, Math.abs(y) * focal / halfH - z);
            d = Math.max(d, -z + size * 0.25); // the camera stays well outside the box
        }
        return d;
    }

    /** The camera looking at the box centre from {@code distance} along the basis' forward axis. */
    static Camera looking(double[] lo, double[] hi, double[][] basis, double distance, int width, int height) {
        double[] f = basis[2];
        double[] eye = {(lo[0] + hi[0]) / 2 - distance * f[0], (lo[1] + hi[1]) / 2 - distance * f[1],
                (lo[2] + hi[2]) / 2 - distance * f[2]};
        return new Camera(eye, basis[0], basis[1], f, focalFor(height), width, height);
    }

    static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }

    static double[] cross(double[] a, double[] b) {
        return new double[]{a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
    }

    static double[] normalize(double[] a) {
        double n = Math.sqrt(dot(a, a));
        return n == 0 ? a : new double[]{a[0] / n, a[1] / n, a[2] / n};
    }
}
