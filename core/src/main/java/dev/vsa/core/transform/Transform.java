package dev.vsa.core.transform;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One step of a splat transformation. Steps are applied in the order given (see
 * {@link Transforms#apply}); each is a record, so a list of them is plain data that can be logged, compared
 * and stored. {@link #parse(String)} reads the command-line form; {@link #SYNTAX} documents it.
 *
 * <pre>{@code
 * List<Transform> steps = List.of(Transform.parse("rotate=0,90,0"), new Transform.Scale(2), new Transform.FilterNan());
 * }</pre>
 */
public sealed interface Transform {
    /** The command-line forms and exact meaning of every transform, for {@code --help}. */
    String SYNTAX = """
            translate=X,Y,Z      add (X,Y,Z) to every position.
            rotate=X,Y,Z         rotate about the origin by Euler angles in degrees: first about the X axis,
                                 then Y, then Z (fixed axes; R = Rz*Ry*Rx). Positions, splat rotations and
                                 SH coefficients (degrees 1-3) are all rotated.
            rotate=W,X,Y,Z       the same with a quaternion (w first; normalized).
            scale=S              multiply positions by S (> 0) and add ln(S) to the log-scales.
            filter-nan           drop splats with a NaN or infinite value in any column.
            box=X0,Y0,Z0,X1,Y1,Z1  keep splats whose position lies in the box (corners inclusive).
            sphere=X,Y,Z,R       keep splats within distance R of (X,Y,Z) (inclusive).
            sh=D                 keep SH degrees 0..D (0-3); a file with fewer degrees is unchanged.
            frame=FROM,TO        re-express the splats given in frame FROM in frame TO; frames name where +x, +y,
                                 +z point: R/L, U/D, F/B (RDF: the 3DGS PLY; RUB: OpenGL, three.js, SPZ's
                                 internal; LUF: glTF). Axes that differ are negated: positions, splat rotations
                                 (conjugated) and the SH coefficients odd in those axes.
            sort=morton          order splats along a Morton (Z-order) curve over their bounding box.
            decimate=F           keep a fraction 0 < F < 1 of the splats: the i-th splat (from 0) is kept
                                 when floor((i+1)*F) > floor(i*F), an even stride, no randomness.
            decimate=N           keep exactly N splats (N >= 1 whole number; all if there are fewer), chosen
                                 with the same even stride over the count that reaches this step.
            Steps apply in the order given, in the file's own frame (that of a 3DGS PLY). sort and decimate=N
            need every row: rows are spilled to a temporary file beside the output, so memory stays bounded.
            splat-transform 3.7 applies -t/-r in the PLY frame turned 180 degrees about Z: its -t X,Y,Z is
            translate=-X,-Y,Z here, and its -r X,Y,Z is rotate=0,0,180 rotate=X,Y,Z rotate=0,0,180.""";

    /** Adds a vector to every position. */
    record Translate(double x, double y, double z) implements Transform {
        /** @throws IllegalArgumentException if a component is not finite */
        public Translate {
            finite("translate", x, y, z);
        }
    }

    /**
     * Rotates about the origin by the unit quaternion (w, x, y, z): positions, splat rotations and SH.
     * The components are normalized on construction.
     */
    record Rotate(double w, double x, double y, double z) implements Transform {
        /** @throws IllegalArgumentException if the quaternion is zero or not finite */
        public Rotate {
            finite("rotate", w, x, y, z);
            double n = Math.sqrt(w * w + x * x + y * y + z * z);
            if (n < 1e-12) {
                throw new IllegalArgumentException("rotate quaternion must not be zero");
            }
            w /= n;
            x /= n;
            y /= n;
            z /= n;
        }

        /**
         * A rotation by Euler angles in degrees: about X first, then Y, then Z (fixed axes, R = Rz*Ry*Rx).
         *
         * @throws IllegalArgumentException if an angle is not finite
         */
        public static Rotate euler(double xDegrees, double yDegrees, double zDegrees) {
            finite("rotate", xDegrees, yDegrees, zDegrees);
            double hx = Math.toRadians(xDegrees) / 2, hy = Math.toRadians(yDegrees) / 2, hz = Math.toRadians(zDegrees) / 2;
            double cx = Math.cos(hx), sx = Math.sin(hx), cy = Math.cos(hy), sy = Math.sin(hy);
            double cz = Math.cos(hz), sz = Math.sin(hz);
            // qz * qy * qx
            double w = cz * cy * cx + sz * sy * sx;
            double x = cz * cy * sx - sz * sy * cx;
            double y = cz * sy * cx + sz * cy * sx;
            double z = sz * cy * cx - cz * sy * sx;
            return new Rotate(w, x, y, z);
        }
    }

    /** Multiplies positions by {@code factor} and adds ln(factor) to the log-scales. */
    record Scale(double factor) implements Transform {
        /** @throws IllegalArgumentException if {@code factor} is not finite and positive */
        public Scale {
            if (!(factor > 0) || !Double.isFinite(factor)) {
                throw new IllegalArgumentException("scale factor must be finite and > 0, was " + factor);
            }
        }
    }

    /** Drops splats with a NaN or infinite value in any column. */
    record FilterNan() implements Transform {
    }

    /** Keeps splats whose position lies in the box (inclusive). */
    record Box(double minX, double minY, double minZ, double maxX, double maxY, double maxZ) implements Transform {
        /** @throws IllegalArgumentException if a value is not finite or a min exceeds its max */
        public Box {
            finite("box", minX, minY, minZ, maxX, maxY, maxZ);
            if (minX > maxX || minY > maxY || minZ > maxZ) {
                throw new IllegalArgumentException("box min corner must not exceed max corner");
            }
        }
    }

    /** Keeps splats within {@code radius} of the centre (inclusive). */
    record Sphere(double x, double y, double z, double radius) implements Transform {
        /** @throws IllegalArgumentException if a value is not finite or the radius is negative */
        public Sphere {
            finite("sphere", x, y, z, radius);
            if (radius < 0) {
                throw new IllegalArgumentException("sphere radius must be >= 0, was " + radius);
            }
        }
    }

    /** Keeps SH degrees 0..{@code degree}; files with fewer degrees pass unchanged. */
    record ShDegree(int degree) implements Transform {
        /** @throws IllegalArgumentException if {@code degree} is outside 0..3 */
        public ShDegree {
            if (degree < 0 || degree > 3) {
                throw new IllegalArgumentException("sh degree must be 0..3, was " + degree);
            }
        }
    }

    /**
     * Re-expresses splats given in one axis frame in another: each of the 8 frames names the directions of +x, +y
     * and +z ({@code R}/{@code L}, {@code U}/{@code D}, {@code F}/{@code B}, as SPZ's coordinate-system names do).
     * Axes whose direction differs are negated (positions, rotations by conjugation, SH odd in them).
     *
     * @param from the frame the splats are in, e.g. {@code "RDF"}
     * @param to   the frame wanted, e.g. {@code "RUB"}
     */
    record Frame(String from, String to) implements Transform {
        /** @throws IllegalArgumentException if a name is not one of the 8 frames */
        public Frame {
            from = frameName(from);
            to = frameName(to);
        }

        /** -1 where an axis (x, y, z) is negated, else 1. */
        public float[] signs() {
            float[] s = new float[3];
            for (int i = 0; i < 3; i++) {
                s[i] = from.charAt(i) == to.charAt(i) ? 1f : -1f;
            }
            return s;
        }

        private static String frameName(String name) {
            String n = name == null ? "" : name.strip().toUpperCase(Locale.ROOT);
            if (n.length() != 3 || "LR".indexOf(n.charAt(0)) < 0 || "UD".indexOf(n.charAt(1)) < 0
                    || "FB".indexOf(n.charAt(2)) < 0) {
                throw new IllegalArgumentException("frame must be 3 letters: x R or L, y U or D, z F or B (e.g. RDF, RUB,"
                        + " LUF), was '" + name + "'");
            }
            return n;
        }
    }

    /** Orders splats along a Morton (Z-order) curve over their bounding box (needs all rows). */
    record MortonSort() implements Transform {
    }

    /**
     * Keeps an evenly strided subset: a {@code fraction} in (0, 1), or exactly {@code count} splats. Exactly
     * one of the two is set (the other is 0). Row i (counted from 0 at this step) is kept when
     * floor((i+1)*f) > floor(i*f), with f = fraction or count / rows reaching this step.
     */
    record Decimate(double fraction, long count) implements Transform {
        /** @throws IllegalArgumentException unless exactly one of fraction in (0,1) and count >= 1 is given */
        public Decimate {
            boolean byFraction = fraction != 0;
            if (byFraction == (count != 0)) {
                throw new IllegalArgumentException("decimate needs exactly one of a fraction or a count");
            }
            if (byFraction && !(fraction > 0 && fraction < 1)) {
                throw new IllegalArgumentException("decimate fraction must be in (0, 1), was " + fraction);
            }
            if (!byFraction && count < 1) {
                throw new IllegalArgumentException("decimate count must be >= 1, was " + count);
            }
        }

        /** Keep a fraction in (0, 1). */
        public static Decimate toFraction(double fraction) {
            return new Decimate(fraction, 0);
        }

        /** Keep exactly {@code count} splats (all if fewer). */
        public static Decimate toCount(long count) {
            return new Decimate(0, count);
        }
    }

    /**
     * Parses the command-line form (see {@link #SYNTAX}).
     *
     * @throws IllegalArgumentException naming the bad text if {@code spec} is not a valid transform
     */
    static Transform parse(String spec) {
        String s = spec.strip();
        int eq = s.indexOf('=');
        String name = (eq < 0 ? s : s.substring(0, eq)).toLowerCase(Locale.ROOT);
        String arg = eq < 0 ? null : s.substring(eq + 1).strip();
        try {
            return switch (name) {
                case "translate" -> {
                    double[] v = numbers(name, arg, 3);
                    yield new Translate(v[0], v[1], v[2]);
                }
                case "rotate" -> {
                    double[] v = numbers(name, arg, -1);
                    if (v.length == 3) {
                        yield Rotate.euler(v[0], v[1], v[2]);
                    }
                    if (v.length == 4) {
                        yield new Rotate(v[0], v[1], v[2], v[3]);
                    }
                    throw new IllegalArgumentException("rotate needs 3 Euler angles or 4 quaternion components, got " + v.length);
                }
                case "scale" -> new Scale(numbers(name, arg, 1)[0]);
                case "filter-nan" -> {
                    if (arg != null) {
                        throw new IllegalArgumentException("filter-nan takes no value");
                    }
                    yield new FilterNan();
                }
                case "box" -> {
                    double[] v = numbers(name, arg, 6);
                    yield new Box(v[0], v[1], v[2], v[3], v[4], v[5]);
                }
                case "sphere" -> {
                    double[] v = numbers(name, arg, 4);
                    yield new Sphere(v[0], v[1], v[2], v[3]);
                }
                case "sh" -> {
                    double d = numbers(name, arg, 1)[0];
                    if (d != Math.rint(d)) {
                        throw new IllegalArgumentException("sh degree must be a whole number, was " + arg);
                    }
                    yield new ShDegree((int) Math.max(-1, Math.min(4, d)));
                }
                case "frame" -> {
                    String[] parts = arg == null ? new String[0] : arg.split(",");
                    if (parts.length != 2) {
                        throw new IllegalArgumentException("frame needs FROM,TO (e.g. frame=RDF,RUB)");
                    }
                    yield new Frame(parts[0], parts[1]);
                }
                case "sort" -> {
                    if (!"morton".equalsIgnoreCase(arg)) {
                        throw new IllegalArgumentException("sort supports only 'morton', was " + arg);
                    }
                    yield new MortonSort();
                }
                case "decimate" -> {
                    double v = numbers(name, arg, 1)[0];
                    if (v > 0 && v < 1) {
                        yield Decimate.toFraction(v);
                    }
                    if (v >= 1 && v == Math.rint(v) && v < 9.2e18) {
                        yield Decimate.toCount((long) v);
                    }
                    throw new IllegalArgumentException("decimate needs a fraction in (0, 1) or a whole count >= 1, was " + arg);
                }
                default -> throw new IllegalArgumentException("unknown transform '" + name + "'");
            };
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad transform '" + spec + "': " + e.getMessage(), e);
        }
    }

    /**
     * Parses each string with {@link #parse(String)}.
     *
     * @throws IllegalArgumentException at the first bad one
     */
    static List<Transform> parseAll(List<String> specs) {
        List<Transform> out = new ArrayList<>(specs.size());
        for (String s : specs) {
            out.add(parse(s));
        }
        return List.copyOf(out);
    }

    private static double[] numbers(String name, String arg, int expected) {
        if (arg == null || arg.isEmpty()) {
            throw new IllegalArgumentException(name + " needs a value");
        }
        String[] parts = arg.split(",", -1);
        if (expected > 0 && parts.length != expected) {
            throw new IllegalArgumentException(name + " needs " + expected + " comma-separated numbers, got " + parts.length);
        }
        double[] v = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                v[i] = Double.parseDouble(parts[i].strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + parts[i] + "' is not a number");
            }
        }
        return v;
    }

    private static void finite(String name, double... values) {
        for (double v : values) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException(name + " values must be finite, got " + v);
            }
        }
    }
}
