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
            filter=EXPR          keep splats for which every NAME OP NUMBER holds (comma = and), e.g.
                                 filter=opacity>0.05,scale_max<2; the names are listed under --filter.
            box=X0,Y0,Z0,X1,Y1,Z1  keep splats whose position lies in the box (corners inclusive).
            sphere=X,Y,Z,R       keep splats within distance R of (X,Y,Z) (inclusive).
            sh=D                 keep SH degrees 0..D (0-3); a file with fewer degrees is unchanged.
            frame=FROM,TO        re-express the splats given in frame FROM in frame TO; a frame is 3 letters naming
                                 where +x, +y, +z point, one each of R/L, U/D, F/B in any order (RDF: the 3DGS
                                 PLY; RUB: OpenGL, three.js; LUF: glTF; RFU: z up, as many CAD and GIS tools;
                                 all 16 names of SPZ's coordinate-system extension). Positions, splat rotations
                                 and SH coefficients all change, so the scene looks the same.
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
     * Re-expresses splats given in one axis frame in another. A frame is 3 letters naming where +x, +y and +z
     * point: one of {@code R}/{@code L} (right, left), one of {@code U}/{@code D} (up, down) and one of
     * {@code F}/{@code B} (forward, back), in any order. This covers the 16 names of SPZ's coordinate-system
     * extension: the 8 with x, y, z on R/L, U/D, F/B ({@code RDF}, {@code RUB}, {@code LUF}, ...) and the 8
     * "rotated" ones with y on F/B and z on U/D ({@code LFD}, {@code RFU}, {@code RBU}, ...), and any other order
     * ({@code FLU}, ROS's body frame). The change is the signed permutation {@link #matrix()}: positions are
     * multiplied by it, splat rotations conjugated (the covariance becomes M S M^T) and SH coefficients rotated,
     * so a splat looks the same from the same world direction.
     *
     * @param from the frame the splats are in, e.g. {@code "RDF"}
     * @param to   the frame wanted, e.g. {@code "RUB"}
     */
    record Frame(String from, String to) implements Transform {
        /** The 16 frame names of SPZ's {@code SPZ_ADOBE_coordinate_system}, in its order (value 1 = LDB ... 16 = RBU). */
        public static final List<String> SPZ_NAMES = List.of("LDB", "RDB", "LUB", "RUB", "LDF", "RDF", "LUF", "RUF",
                "LFD", "RFD", "LFU", "RFU", "LBD", "RBD", "LBU", "RBU");

        /** @throws IllegalArgumentException if a name is not a frame (see the record's description) */
        public Frame {
            from = frameName(from);
            to = frameName(to);
        }

        /**
         * The row-major 3x3 matrix taking coordinates in {@code from} to coordinates in {@code to}: entry (j, i) is
         * the dot product of the world directions of {@code to}'s axis j and {@code from}'s axis i, so every entry
         * is 0, 1 or -1. Its determinant is -1 when the two frames differ in handedness (a mirror).
         */
        public double[] matrix() {
            double[] m = new double[9];
            for (int j = 0; j < 3; j++) {
                for (int i = 0; i < 3; i++) {
                    char a = to.charAt(j), b = from.charAt(i);
                    if (axisOf(a) == axisOf(b)) {
                        m[j * 3 + i] = a == b ? 1 : -1;
                    }
                }
            }
            return m;
        }

        /** 0 for R/L, 1 for U/D, 2 for F/B. */
        private static int axisOf(char c) {
            return switch (c) {
                case 'R', 'L' -> 0;
                case 'U', 'D' -> 1;
                default -> 2;
            };
        }

        private static String frameName(String name) {
            String n = name == null ? "" : name.strip().toUpperCase(Locale.ROOT);
            boolean ok = n.length() == 3;
            int seen = 0;
            for (int i = 0; ok && i < 3; i++) {
                char c = n.charAt(i);
                ok = "RLUDFB".indexOf(c) >= 0 && (seen & (1 << axisOf(c))) == 0;
                if (ok) {
                    seen |= 1 << axisOf(c);
                }
            }
            if (!ok) {
                throw new IllegalArgumentException("frame must be 3 letters naming where +x, +y, +z point, one each of"
                        + " R/L, U/D and F/B (e.g. RDF, RUB, LUF, RFU), was '" + name + "'");
            }
            return n;
        }
    }

    /**
     * Keeps splats for which every condition holds (AND), on values in the units people think in: opacity 0-1,
     * scales in scene units, colour 0-1; {@code raw_} names test the stored values (see {@link #COLUMNS}). A NaN
     * value fails every test.
     *
     * <pre>{@code
     * Transform.ValueFilter f = Transform.ValueFilter.parse("opacity>0.05,scale_max<2");
     * }</pre>
     *
     * @param conditions at least one
     */
    record ValueFilter(List<Condition> conditions) implements Transform {
        /** The columns a condition can name, one per line, for {@code --help}. */
        public static final String COLUMNS = FilterColumns.COLUMNS_HELP;

        /** The comparisons, longest first so that {@code <=} is not read as {@code <}. */
        private static final List<String> OPS = List.of("<=", ">=", "==", "!=", "<", ">", "=");

        /** @throws IllegalArgumentException if there is no condition */
        public ValueFilter {
            if (conditions == null || conditions.isEmpty()) {
                throw new IllegalArgumentException("filter needs at least one condition, e.g. opacity>0.05");
            }
            conditions = List.copyOf(conditions);
        }

        /**
         * One test: {@code column op value}.
         *
         * @param column a name from {@link #COLUMNS} (lower case)
         * @param op     one of {@code < <= > >= == !=}
         */
        public record Condition(String column, String op, double value) {
            /** @throws IllegalArgumentException if the operator is unknown or the value is NaN */
            public Condition {
                column = column.strip().toLowerCase(Locale.ROOT);
                if (!List.of("<", "<=", ">", ">=", "==", "!=").contains(op)) {
                    throw new IllegalArgumentException("filter: unknown comparison '" + op + "'");
                }
                if (Double.isNaN(value)) {
                    throw new IllegalArgumentException("filter: the value must be a number");
                }
            }

            /** Whether {@code v} passes. */
            public boolean test(double v) {
                return switch (op) {
                    case "<" -> v < value;
                    case "<=" -> v <= value;
                    case ">" -> v > value;
                    case ">=" -> v >= value;
                    case "==" -> v == value;
                    default -> v != value && !Double.isNaN(v);
                };
            }

            @Override
            public String toString() {
                return column + op + (value == Math.rint(value) && Math.abs(value) < 1e15
                        ? Long.toString((long) value) : Double.toString(value));
            }
        }

        /**
         * Parses {@code NAME OP NUMBER[,NAME OP NUMBER...]}, e.g. {@code opacity>0.05,scale_max<2}.
         *
         * @throws IllegalArgumentException naming the bad part
         */
        public static ValueFilter parse(String expression) {
            if (expression == null || expression.isBlank()) {
                throw new IllegalArgumentException("filter needs NAME OP NUMBER, e.g. opacity>0.05");
            }
            List<Condition> out = new ArrayList<>();
            for (String part : expression.split(",", -1)) {
                String p = part.strip();
                String op = null;
                int at = -1;
                for (int i = 0; i < p.length() && op == null; i++) {
                    for (String o : OPS) {
                        if (p.startsWith(o, i)) {
                            op = o;
                            at = i;
                            break;
                        }
                    }
                }
                String name = op == null ? "" : p.substring(0, at).strip();
                String number = op == null ? "" : p.substring(at + op.length()).strip();
                if (op == null || !name.matches("[A-Za-z_][A-Za-z0-9_]*") || number.isEmpty()) {
                    throw new IllegalArgumentException("filter: '" + p + "' is not NAME OP NUMBER (OP one of < <= > >= == !="
                            + "), e.g. opacity>0.05");
                }
                double v;
                try {
                    v = Double.parseDouble(number);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("filter: '" + number + "' in '" + p + "' is not a number");
                }
                out.add(new Condition(name, op.equals("=") ? "==" : op, v));
            }
            return new ValueFilter(out);
        }

        @Override
        public String toString() {
            return String.join(",", conditions.stream().map(Condition::toString).toList());
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
                case "filter" -> ValueFilter.parse(arg);
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
