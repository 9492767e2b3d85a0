package dev.vsa.core.transform;

import dev.vsa.core.splat.SplatLayout;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The columns a {@link Transform.ValueFilter} can test and how each is computed from a row. User-facing names are
 * in the units people think in; {@code raw_} names are the stored values (see {@link #COLUMNS_HELP}).
 */
final class FilterColumns {
    /** SH degree-0 basis constant: colour = 0.5 + C0 * f_dc. */
    private static final double C0 = 0.28209479177387814;

    /** The names, for --help and error messages. */
    static final String COLUMNS_HELP = """
            x y z                  position (scene units)
            opacity                0..1 (sigmoid of the stored logit)
            scale_0 scale_1 scale_2  standard deviation along each splat axis, scene units (exp of the stored log)
            scale_max scale_min    the largest / smallest of the three
            red green blue         colour 0..1 of the base (view-independent) term: 0.5 + 0.28209479 * f_dc
            raw_opacity            the stored logit; raw_scale_0..2, raw_scale_max, raw_scale_min: natural logs
            rot_0..rot_3 f_dc_0..2 f_rest_N, and any extra PLY property: the stored value (also as raw_NAME)""";

    private FilterColumns() {
    }

    /** Reads one value of the row starting at {@code o}. */
    interface Column {
        double get(float[] a, int o);
    }

    /**
     * The column named {@code name} in rows of {@code layout}.
     *
     * @throws IllegalArgumentException naming the known columns if there is no such column
     */
    static Column column(String name, SplatLayout layout) {
        String n = name.toLowerCase(Locale.ROOT);
        switch (n) {
            case "opacity", "alpha" -> {
                return (a, o) -> 1 / (1 + Math.exp(-a[o + SplatLayout.OPACITY]));
            }
            case "raw_opacity" -> {
                return (a, o) -> a[o + SplatLayout.OPACITY];
            }
            case "scale_max" -> {
                return (a, o) -> Math.exp(maxScale(a, o));
            }
            case "scale_min" -> {
                return (a, o) -> Math.exp(minScale(a, o));
            }
            case "raw_scale_max" -> {
                return FilterColumns::maxScale;
            }
            case "raw_scale_min" -> {
                return FilterColumns::minScale;
            }
            case "scale_0", "scale_1", "scale_2" -> {
                int c = SplatLayout.SCALE_0 + (n.charAt(6) - '0');
                return (a, o) -> Math.exp(a[o + c]);
            }
            case "red", "green", "blue" -> {
                int c = SplatLayout.DC_0 + List.of("red", "green", "blue").indexOf(n);
                return (a, o) -> 0.5 + C0 * a[o + c];
            }
            default -> {
                // a stored column, by its PLY name, with or without raw_
                String stored = n.startsWith("raw_") ? n.substring(4) : n;
                for (int i = 0; i < layout.stride(); i++) {
                    if (layout.columnName(i).equalsIgnoreCase(stored)) {
                        int c = i;
                        return (a, o) -> a[o + c];
                    }
                }
                List<String> known = new ArrayList<>(List.of("x", "y", "z", "opacity", "scale_0", "scale_1",
                        "scale_2", "scale_max", "scale_min", "red", "green", "blue", "raw_opacity", "raw_scale_0",
                        "raw_scale_1", "raw_scale_2", "raw_scale_max", "raw_scale_min", "rot_0..3", "f_dc_0..2"));
                if (layout.restCount() > 0) {
                    known.add("f_rest_0.." + (layout.restCount() - 1));
                }
                known.addAll(layout.extras());
                throw new IllegalArgumentException("filter: unknown column '" + name + "'; this file has: "
                        + String.join(", ", known));
            }
        }
    }

    private static double maxScale(float[] a, int o) {
        return Math.max(a[o + SplatLayout.SCALE_0], Math.max(a[o + SplatLayout.SCALE_1], a[o + SplatLayout.SCALE_2]));
    }

    private static double minScale(float[] a, int o) {
        return Math.min(a[o + SplatLayout.SCALE_0], Math.min(a[o + SplatLayout.SCALE_1], a[o + SplatLayout.SCALE_2]));
    }
}
