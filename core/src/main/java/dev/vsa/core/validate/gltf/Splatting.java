package dev.vsa.core.validate.gltf;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vsa.core.validate.gltf.Model.Accessor;
import dev.vsa.core.validate.gltf.Model.Checker;
import dev.vsa.core.validate.gltf.Model.Primitive;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * KHR_gaussian_splatting, as ratified in KhronosGroup/glTF {@code extensions/2.0/Khronos/KHR_gaussian_splatting}
 * (README and schema at commit 77b44be, 2026-07-17): the primitive extension object ({@code kernel} and
 * {@code colorSpace} required), mode POINTS, the ellipse kernel's attributes and formats, whole SH degrees, and the
 * data rules (linear scale not negative, opacity in 0..1, unit rotation quaternions).
 */
final class Splatting {
    static final String NAME = "KHR_gaussian_splatting";
    static final String PREFIX = NAME + ":";
    private static final Pattern SH = Pattern.compile("^SH_DEGREE_([0-9])_COEF_([0-9]+)$");
    private static final int[] COEFFICIENTS = {1, 3, 5, 7};

    private static final Map<String, List<String>> FORMATS = Map.of(
            "ROTATION", List.of(Linker.f("VEC4", Gl.FLOAT, false), Linker.f("VEC4", Gl.BYTE, true),
                    Linker.f("VEC4", Gl.SHORT, true)),
            "SCALE", List.of(Linker.f("VEC3", Gl.FLOAT, false), Linker.f("VEC3", Gl.UNSIGNED_BYTE, false),
                    Linker.f("VEC3", Gl.UNSIGNED_BYTE, true), Linker.f("VEC3", Gl.UNSIGNED_SHORT, false),
                    Linker.f("VEC3", Gl.UNSIGNED_SHORT, true)),
            "OPACITY", List.of(Linker.f("SCALAR", Gl.FLOAT, false), Linker.f("SCALAR", Gl.UNSIGNED_BYTE, true),
                    Linker.f("SCALAR", Gl.UNSIGNED_SHORT, true)));
    private static final List<String> SH_FORMATS = List.of(Linker.f("VEC3", Gl.FLOAT, false));

    private Splatting() {
    }

    /** The parsed extension object. */
    record Ext(String kernel, String colorSpace, String projection, String sortingMethod) {
    }

    static Ext parse(ObjectNode map, Ctx ctx, GltfParser g) {
        J.checkMembers(map, Set.of("kernel", "colorSpace", "projection", "sortingMethod"), ctx);
        String kernel = J.str(map, "kernel", ctx, true, null, null, null);
        String colorSpace = J.str(map, "colorSpace", ctx, true, null, null, null);
        String projection = J.str(map, "projection", ctx, false, null, "perspective", null);
        String sorting = J.str(map, "sortingMethod", ctx, false, null, "cameraDistance", null);
        known(ctx, "kernel", kernel, List.of("ellipse"));
        known(ctx, "colorSpace", colorSpace, List.of("srgb_rec709_display", "lin_rec709_display"));
        known(ctx, "projection", projection, List.of("perspective"));
        known(ctx, "sortingMethod", sorting, List.of("cameraDistance"));
        g.extensions(map, "KHR_gaussian_splatting");
        J.extras(map, ctx);
        return new Ext(kernel, colorSpace, projection, sorting);
    }

    private static void known(Ctx ctx, String name, String value, List<String> values) {
        if (value != null && !values.contains(value)) {
            ctx.issue(GltfIssue.KHR_GAUSSIAN_SPLATTING_UNKNOWN_VALUE, name, value, name);
        }
    }

    /** Valid formats of a splat attribute, or null for an unknown one. */
    static List<String> formats(String semantic) {
        String s = semantic.substring(PREFIX.length());
        List<String> f = FORMATS.get(s);
        if (f != null) {
            return f;
        }
        return shIndex(s) != null ? SH_FORMATS : null;
    }

    /** {degree, coefficient} of a valid SH attribute name, else null. */
    private static int[] shIndex(String s) {
        Matcher m = SH.matcher(s);
        if (!m.find()) {
            return null;
        }
        int degree = m.group(1).charAt(0) - '0';
        String c = m.group(2);
        if (degree > 3 || c.length() > 1 || c.charAt(0) - '0' >= COEFFICIENTS[degree]) {
            return null;
        }
        return new int[] {degree, c.charAt(0) - '0'};
    }

    /** Adds the data checks of a splat attribute whose format is valid. */
    static void addCheckers(String semantic, Accessor a, String path) {
        String s = semantic.substring(PREFIX.length());
        switch (s) {
            case "SCALE" -> a.checkers.add((ctx, index, c, v) -> {
                if (v < 0) {
                    ctx.issueAt(path, GltfIssue.KHR_GAUSSIAN_SPLATTING_NEGATIVE_SCALE, index, v);
                }
            });
            case "OPACITY" -> {
                if (a.isFloat()) {
                    a.checkers.add((ctx, index, c, v) -> {
                        if (v < 0 || v > 1) {
                            ctx.issueAt(path, GltfIssue.KHR_GAUSSIAN_SPLATTING_OPACITY_OUT_OF_RANGE, index, v);
                        }
                    });
                }
            }
            case "ROTATION" -> a.checkers.add(new Checker() {
                private double sum;

                @Override
                public void check(Ctx ctx, long index, int c, double value) {
                    double v = a.isFloat() ? value : a.normalize(value);
                    sum += v * v;
                    if (c == 3) {
                        if (Math.abs(Math.sqrt(sum) - 1.0) > GltfParser.unitVec4()) {
                            ctx.issueAt(path, GltfIssue.KHR_GAUSSIAN_SPLATTING_ROTATION_NON_UNIT, index - 3, index,
                                    Math.sqrt(sum));
                        }
                        sum = 0;
                    }
                }
            });
            default -> {
            }
        }
    }

    /** Checks a splat primitive after its attributes are linked: mode, required attributes, SH layout. */
    static void link(Primitive p, Ctx ctx) {
        Ext ext = p.splat;
        if (p.mode != 0) {
            ctx.issue(GltfIssue.KHR_GAUSSIAN_SPLATTING_INVALID_MODE, "mode",
                    p.mode == -1 ? "an invalid mode" : Long.toString(p.mode));
        }
        if (p.attributeIndices == null) {
            return;
        }
        ctx.push("attributes");
        int[] present = new int[4];
        for (String semantic : p.attributeIndices.keySet()) {
            if (!semantic.startsWith(PREFIX)) {
                continue;
            }
            String s = semantic.substring(PREFIX.length());
            int[] sh = shIndex(s);
            if (sh != null) {
                present[sh[0]]++;
            } else if (!FORMATS.containsKey(s)) {
                ctx.issue(GltfIssue.KHR_GAUSSIAN_SPLATTING_INVALID_ATTRIBUTE, semantic, semantic);
            }
        }
        if ("ellipse".equals(ext.kernel())) {
            for (String req : List.of("POSITION", PREFIX + "ROTATION", PREFIX + "SCALE", PREFIX + "OPACITY",
                    PREFIX + "SH_DEGREE_0_COEF_0")) {
                if (!p.attributeIndices.containsKey(req)) {
                    ctx.issue(GltfIssue.KHR_GAUSSIAN_SPLATTING_MISSING_ATTRIBUTE, null, req);
                }
            }
        }
        for (int d = 1; d <= 3; d++) {
            boolean partial = present[d] != 0 && present[d] != COEFFICIENTS[d];
            boolean lowerMissing = present[d] != 0 && present[d - 1] != COEFFICIENTS[d - 1];
            if (partial || lowerMissing) {
                ctx.issue(GltfIssue.KHR_GAUSSIAN_SPLATTING_PARTIAL_SH, null, d,
                        present[d] + " of " + COEFFICIENTS[d] + " coefficients"
                                + (lowerMissing ? ", degree " + (d - 1) + " incomplete" : ""));
            }
        }
        ctx.pop();
    }

    /** The highest whole SH degree of a splat primitive (0..3). */
    static int shDegree(Primitive p) {
        int[] present = new int[4];
        if (p.attributeIndices != null) {
            for (String semantic : p.attributeIndices.keySet()) {
                if (semantic.startsWith(PREFIX)) {
                    int[] sh = shIndex(semantic.substring(PREFIX.length()));
                    if (sh != null) {
                        present[sh[0]]++;
                    }
                }
            }
        }
        int degree = 0;
        for (int d = 1; d <= 3 && present[d] == COEFFICIENTS[d]; d++) {
            degree = d;
        }
        return degree;
    }
}
