package dev.vsa.core.splat;

import java.util.List;

/**
 * Where each value of one splat sits in a {@link SplatBatch} row: the one model every format reads into and
 * writes from.
 *
 * <p>Conventions (those of the 3DGS PLY written by graphdeco-inria/gaussian-splatting; codecs convert):
 * <ul>
 *   <li>position {@code x y z} in the file's own frame and units (no axis flip is applied on read; a format
 *       with another frame, such as SPZ's or glTF's, is converted to the PLY's frame by its codec);</li>
 *   <li>{@code scale_0..2}: natural log of the Gaussian's standard deviation along each local axis;</li>
 *   <li>{@code rot}: unit quaternion, stored w x y z (readers normalize; writers may assume unit length);</li>
 *   <li>{@code opacity}: logit of the opacity (alpha = sigmoid(opacity));</li>
 *   <li>{@code f_dc_0..2}: SH degree-0 coefficient per colour channel (colour = 0.5 + C0 * f_dc, C0 = 0.28209479);</li>
 *   <li>{@code f_rest}: the higher SH coefficients, channel-major as in the PLY: all of red's
 *       {@code (d+1)^2-1} coefficients, then green's, then blue's;</li>
 *   <li>extras: any other per-splat float property a PLY carried, in file order (kept PLY to PLY).</li>
 * </ul>
 *
 * @param shDegree spherical-harmonics degree, 0 to 3
 * @param extras   names of extra per-splat properties, in order; empty for most files
 */
public record SplatLayout(int shDegree, List<String> extras) {
    public static final int X = 0, Y = 1, Z = 2;
    public static final int SCALE_0 = 3, SCALE_1 = 4, SCALE_2 = 5;
    public static final int ROT_W = 6, ROT_X = 7, ROT_Y = 8, ROT_Z = 9;
    public static final int OPACITY = 10;
    public static final int DC_0 = 11, DC_1 = 12, DC_2 = 13;
    /** Index of the first higher-order SH coefficient (red, coefficient 1). */
    public static final int REST = 14;
    /** Highest SH degree any supported format stores. */
    public static final int MAX_SH_DEGREE = 3;
    /** Column names of the fixed part, as the 3DGS PLY names them. */
    public static final List<String> FIXED_NAMES = List.of("x", "y", "z", "scale_0", "scale_1", "scale_2",
            "rot_0", "rot_1", "rot_2", "rot_3", "opacity", "f_dc_0", "f_dc_1", "f_dc_2");

    /**
     * @throws IllegalArgumentException if {@code shDegree} is outside 0..3 or {@code extras} is null
     */
    public SplatLayout {
        if (shDegree < 0 || shDegree > MAX_SH_DEGREE) {
            throw new IllegalArgumentException("shDegree must be 0..3, was " + shDegree);
        }
        if (extras == null) {
            throw new IllegalArgumentException("extras must not be null (use List.of())");
        }
        extras = List.copyOf(extras);
    }

    /** A layout with no extras. */
    public static SplatLayout of(int shDegree) {
        return new SplatLayout(shDegree, List.of());
    }

    /** Higher-order SH coefficients per colour channel: {@code (d+1)^2 - 1} (0, 3, 8 or 15). */
    public static int restPerChannel(int shDegree) {
        return (shDegree + 1) * (shDegree + 1) - 1;
    }

    /** Higher-order SH coefficients per channel for this layout. */
    public int restPerChannel() {
        return restPerChannel(shDegree);
    }

    /** Number of {@code f_rest} floats: 3 * restPerChannel. */
    public int restCount() {
        return 3 * restPerChannel();
    }

    /** Row index of the first extra property. */
    public int extrasOffset() {
        return REST + restCount();
    }

    /** Floats per splat row. */
    public int stride() {
        return extrasOffset() + extras.size();
    }

    /** The same layout with another SH degree (extras kept). */
    public SplatLayout withShDegree(int degree) {
        return new SplatLayout(degree, extras);
    }

    /** Name of row column {@code i}, as a 3DGS PLY would name it. */
    public String columnName(int i) {
        if (i < 0 || i >= stride()) {
            throw new IndexOutOfBoundsException("column " + i + " of " + stride());
        }
        if (i < REST) {
            return FIXED_NAMES.get(i);
        }
        if (i < extrasOffset()) {
            return "f_rest_" + (i - REST);
        }
        return extras.get(i - extrasOffset());
    }
}
