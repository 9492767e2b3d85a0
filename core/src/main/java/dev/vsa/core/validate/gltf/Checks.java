package dev.vsa.core.validate.gltf;

import dev.vsa.core.validate.gltf.Model.Accessor;
import dev.vsa.core.validate.gltf.Model.Checker;

/** The per-element data checks (Khronos ElementChecker equivalents). Values arrive as doubles. */
final class Checks {
    private Checks() {
    }

    static Checker invalidFloat(String path) {
        return new Checker() {
            @Override
            public void check(Ctx ctx, long index, int component, double value) {
                if (Double.isNaN(value) || Double.isInfinite(value)) {
                    ctx.issueAt(path, GltfIssue.ACCESSOR_INVALID_FLOAT, index, value);
                }
            }

            @Override
            public void checkBlock(Ctx ctx, double[] values, int n, long flat, int component, int components) {
                for (int i = 0; i < n; i++) {
                    double v = values[i];
                    if (v - v != 0) { // NaN or infinite
                        check(ctx, flat + i, 0, v);
                    }
                }
            }
        };
    }

    static Checker clamped(String path) {
        return (ctx, index, component, value) -> {
            if (value > 1.0 || value < 0.0) {
                ctx.issueAt(path, GltfIssue.ACCESSOR_NON_CLAMPED, index, value);
            }
        };
    }

    /** Declared min vs actual min. */
    static final class Min implements Checker {
        private final String path;
        private final double[] provided;
        private final double[] computed;
        private final long[] invalid;

        Min(String path, double[] provided) {
            this.path = path;
            this.provided = provided;
            this.computed = new double[provided.length];
            this.invalid = new long[provided.length];
        }

        @Override
        public void check(Ctx ctx, long index, int c, double v) {
            if (index == c || computed[c] > v) {
                computed[c] = v;
            }
            if (v < provided[c]) {
                invalid[c]++;
            }
        }

        @Override
        public void checkBlock(Ctx ctx, double[] values, int n, long flat, int component, int components) {
            int c = component;
            int i = 0;
            if (flat < components) {
                for (; i < n && flat + i < components; i++) {
                    check(ctx, flat + i, c, values[i]);
                    if (++c == components) {
                        c = 0;
                    }
                }
            }
            for (; i < n; i++) {
                double v = values[i];
                if (computed[c] > v) {
                    computed[c] = v;
                }
                if (v < provided[c]) {
                    invalid[c]++;
                }
                if (++c == components) {
                    c = 0;
                }
            }
        }

        @Override
        public void done(Ctx ctx) {
            for (int c = 0; c < provided.length; c++) {
                if (provided[c] != computed[c]) {
                    ctx.issueAt(path + "/min/" + c, GltfIssue.ACCESSOR_MIN_MISMATCH, provided[c], computed[c]);
                    if (invalid[c] > 0) {
                        ctx.issueAt(path + "/min/" + c, GltfIssue.ACCESSOR_ELEMENT_OUT_OF_MIN_BOUND, invalid[c], provided[c]);
                    }
                }
            }
        }
    }

    /** Declared max vs actual max. */
    static final class Max implements Checker {
        private final String path;
        private final double[] provided;
        private final double[] computed;
        private final long[] invalid;

        Max(String path, double[] provided) {
            this.path = path;
            this.provided = provided;
            this.computed = new double[provided.length];
            this.invalid = new long[provided.length];
        }

        @Override
        public void check(Ctx ctx, long index, int c, double v) {
            if (index == c || computed[c] < v) {
                computed[c] = v;
            }
            if (v > provided[c]) {
                invalid[c]++;
            }
        }

        @Override
        public void checkBlock(Ctx ctx, double[] values, int n, long flat, int component, int components) {
            int c = component;
            int i = 0;
            if (flat < components) {
                for (; i < n && flat + i < components; i++) {
                    check(ctx, flat + i, c, values[i]);
                    if (++c == components) {
                        c = 0;
                    }
                }
            }
            for (; i < n; i++) {
                double v = values[i];
                if (computed[c] < v) {
                    computed[c] = v;
                }
                if (v > provided[c]) {
                    invalid[c]++;
                }
                if (++c == components) {
                    c = 0;
                }
            }
        }

        @Override
        public void done(Ctx ctx) {
            for (int c = 0; c < provided.length; c++) {
                if (provided[c] != computed[c]) {
                    ctx.issueAt(path + "/max/" + c, GltfIssue.ACCESSOR_MAX_MISMATCH, provided[c], computed[c]);
                    if (invalid[c] > 0) {
                        ctx.issueAt(path + "/max/" + c, GltfIssue.ACCESSOR_ELEMENT_OUT_OF_MAX_BOUND, invalid[c], provided[c]);
                    }
                }
            }
        }
    }

    static final class UnitVec3 implements Checker {
        private final String path;
        private final Accessor norm;
        private double sum;

        UnitVec3(String path, Accessor norm) {
            this.path = path;
            this.norm = norm;
        }

        @Override
        public void check(Ctx ctx, long index, int c, double value) {
            double v = norm != null ? norm.normalize(value) : value;
            sum += v * v;
            if (c == 2) {
                if (Math.abs(Math.sqrt(sum) - 1.0) > GltfParser.unitVec3()) {
                    ctx.issueAt(path, GltfIssue.ACCESSOR_VECTOR3_NON_UNIT, index - 2, index, Math.sqrt(sum));
                }
                sum = 0;
            }
        }
    }

    static final class UnitVec3Sign implements Checker {
        private final String path;
        private final Accessor norm;
        private double sum;

        UnitVec3Sign(String path, Accessor norm) {
            this.path = path;
            this.norm = norm;
        }

        @Override
        public void check(Ctx ctx, long index, int c, double value) {
            double v = norm != null ? norm.normalize(value) : value;
            if (c == 3) {
                if (v != 1.0 && v != -1.0) {
                    ctx.issueAt(path, GltfIssue.ACCESSOR_INVALID_SIGN, index - 3, index, v);
                }
            } else {
                sum += v * v;
                if (c == 2) {
                    if (Math.abs(Math.sqrt(sum) - 1.0) > GltfParser.unitVec3()) {
                        ctx.issueAt(path, GltfIssue.ACCESSOR_VECTOR3_NON_UNIT, index - 2, index, Math.sqrt(sum));
                    }
                    sum = 0;
                }
            }
        }
    }

    /** Index values: in range, no primitive restart, degenerate triangles counted. */
    static final class Indices implements Checker {
        private final String path;
        private final long maxVertexIndex;
        private final long totalTriangles;
        private final boolean triangles;
        private final double restart;
        private final double[] tri = new double[3];
        private int vi;
        private long degenerate;

        Indices(String path, long maxVertexIndex, long totalTriangles, int mode, long componentType) {
            this.path = path;
            this.maxVertexIndex = maxVertexIndex;
            this.totalTriangles = totalTriangles;
            this.triangles = mode == 4;
            this.restart = Gl.typeMax(componentType);
        }

        @Override
        public void check(Ctx ctx, long index, int c, double value) {
            if (value > maxVertexIndex) {
                ctx.issueAt(path, GltfIssue.ACCESSOR_INDEX_OOB, index, (long) value, maxVertexIndex);
            }
            if (value == restart) {
                ctx.issueAt(path, GltfIssue.ACCESSOR_INDEX_PRIMITIVE_RESTART, (long) value, index);
            }
            if (triangles) {
                tri[vi] = value;
                if (++vi == 3) {
                    vi = 0;
                    if (tri[0] == tri[1] || tri[1] == tri[2] || tri[2] == tri[0]) {
                        degenerate++;
                    }
                }
            }
        }

        @Override
        public void checkBlock(Ctx ctx, double[] values, int n, long flat, int component, int components) {
            if (!triangles) {
                Checker.super.checkBlock(ctx, values, n, flat, component, components);
                return;
            }
            for (int i = 0; i < n; i++) {
                double value = values[i];
                if (value > maxVertexIndex || value == restart) {
                    if (value > maxVertexIndex) {
                        ctx.issueAt(path, GltfIssue.ACCESSOR_INDEX_OOB, flat + i, (long) value, maxVertexIndex);
                    }
                    if (value == restart) {
                        ctx.issueAt(path, GltfIssue.ACCESSOR_INDEX_PRIMITIVE_RESTART, (long) value, flat + i);
                    }
                }
                tri[vi] = value;
                if (++vi == 3) {
                    vi = 0;
                    if (tri[0] == tri[1] || tri[1] == tri[2] || tri[2] == tri[0]) {
                        degenerate++;
                    }
                }
            }
        }

        @Override
        public void done(Ctx ctx) {
            if (degenerate > 0) {
                ctx.issueAt(path, GltfIssue.ACCESSOR_INDEX_TRIANGLE_DEGENERATE, degenerate, totalTriangles);
            }
        }
    }

    static final class Ibm implements Checker {
        private final String path;

        Ibm(String path) {
            this.path = path;
        }

        @Override
        public void check(Ctx ctx, long index, int c, double v) {
            if ((c == 3 || c == 7 || c == 11) && v != 0 || c == 15 && v != 1) {
                ctx.issueAt(path, GltfIssue.ACCESSOR_INVALID_IBM, index, c, v);
            }
        }
    }

    static final class AnimationInput implements Checker {
        private final String path;
        private double last;

        AnimationInput(String path) {
            this.path = path;
        }

        @Override
        public void check(Ctx ctx, long index, int c, double v) {
            if (v < 0) {
                ctx.issueAt(path, GltfIssue.ACCESSOR_ANIMATION_INPUT_NEGATIVE, index, v);
            } else {
                if (index != 0 && v <= last) {
                    ctx.issueAt(path, GltfIssue.ACCESSOR_ANIMATION_INPUT_NON_INCREASING, index, v, last);
                }
                last = v;
            }
        }
    }

    static final class Quaternion implements Checker {
        private final String path;
        private final Accessor norm;
        private final boolean tangents;
        private int full;
        private double sum;

        Quaternion(String path, Accessor norm, boolean tangents) {
            this.path = path;
            this.norm = norm;
            this.tangents = tangents;
        }

        @Override
        public void check(Ctx ctx, long index, int c, double value) {
            if (!tangents || (full & 4) == 4) {
                double v = norm != null ? norm.normalize(value) : value;
                sum += v * v;
                if (c == 3) {
                    if (Math.abs(Math.sqrt(sum) - 1.0) > GltfParser.unitVec4()) {
                        ctx.issueAt(path, GltfIssue.ACCESSOR_ANIMATION_SAMPLER_OUTPUT_NON_NORMALIZED_QUATERNION,
                                index - 3, index, Math.sqrt(sum));
                    }
                    sum = 0;
                }
            }
            if (++full == 12) {
                full = 0;
            }
        }
    }
}
