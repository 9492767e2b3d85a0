package dev.vsa.core.transform;

import dev.vsa.core.splat.SplatLayout;

/** The streaming steps' row operations. */
final class RowOps {
    private RowOps() {
    }

    static RowOp translate(Transform.Translate t) {
        float dx = (float) t.x(), dy = (float) t.y(), dz = (float) t.z();
        return new Simple() {
            @Override
            public int apply(float[] a, int stride, int rows) {
                for (int r = 0, o = 0; r < rows; r++, o += stride) {
                    a[o] += dx;
                    a[o + 1] += dy;
                    a[o + 2] += dz;
                }
                return rows;
            }
        };
    }

    static RowOp scale(Transform.Scale t) {
        double s = t.factor();
        float ls = (float) Math.log(s);
        return new Simple() {
            @Override
            public int apply(float[] a, int stride, int rows) {
                for (int r = 0, o = 0; r < rows; r++, o += stride) {
                    a[o] = (float) (a[o] * s);
                    a[o + 1] = (float) (a[o + 1] * s);
                    a[o + 2] = (float) (a[o + 2] * s);
                    a[o + SplatLayout.SCALE_0] += ls;
                    a[o + SplatLayout.SCALE_1] += ls;
                    a[o + SplatLayout.SCALE_2] += ls;
                }
                return rows;
            }
        };
    }

    /**
     * A frame change: a pure sign change (frames with the same axis order) negates exactly, without rounding
     * (AxisFlips); a permutation goes through {@link #orthogonal}.
     */
    static RowOp frame(Transform.Frame t, SplatLayout layout) {
        double[] m = t.matrix();
        if (m[1] == 0 && m[2] == 0 && m[3] == 0 && m[5] == 0 && m[6] == 0 && m[7] == 0) {
            float sx = (float) m[0], sy = (float) m[4], sz = (float) m[8];
            return new Simple() {
                @Override
                public int apply(float[] a, int stride, int rows) {
                    dev.vsa.core.format.util.AxisFlips.apply(a, stride, rows, layout, sx, sy, sz);
                    return rows;
                }
            };
        }
        double det = m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6])
                + m[2] * (m[3] * m[7] - m[4] * m[6]);
        double[] proper = new double[9];
        for (int i = 0; i < 9; i++) {
            proper[i] = det * m[i];
        }
        return orthogonal(m, ShRotation.quaternion(proper), layout);
    }

    static RowOp rotate(Transform.Rotate t, SplatLayout layout) {
        return orthogonal(ShRotation.rotationMatrix(t.w(), t.x(), t.y(), t.z()),
                new double[] {t.w(), t.x(), t.y(), t.z()}, layout);
    }

    /**
     * Applies the orthogonal matrix {@code m} (row-major; a rotation, or a rotation with a mirror): positions
     * p' = M p, covariances M S M^T, SH coefficients so that f'(d) = f(M^T d). {@code q} is the quaternion of
     * det(M) * M, the rotation part: M S M^T = (det(M) M) S (det(M) M)^T, so splat rotations are premultiplied by it.
     */
    private static RowOp orthogonal(double[] m, double[] q, SplatLayout layout) {
        double qw = q[0], qx = q[1], qy = q[2], qz = q[3];
        int degree = layout.shDegree();
        int per = layout.restPerChannel();
        double[][] bands = new double[degree + 1][];
        for (int l = 1; l <= degree; l++) {
            bands[l] = ShRotation.matrix(l, m);
        }
        double[] tmp = new double[7];
        return new Simple() {
            @Override
            public int apply(float[] a, int stride, int rows) {
                for (int r = 0, o = 0; r < rows; r++, o += stride) {
                    double x = a[o], y = a[o + 1], z = a[o + 2];
                    a[o] = (float) (m[0] * x + m[1] * y + m[2] * z);
                    a[o + 1] = (float) (m[3] * x + m[4] * y + m[5] * z);
                    a[o + 2] = (float) (m[6] * x + m[7] * y + m[8] * z);
                    int q = o + SplatLayout.ROT_W;
                    double bw = a[q], bx = a[q + 1], by = a[q + 2], bz = a[q + 3];
                    a[q] = (float) (qw * bw - qx * bx - qy * by - qz * bz);
                    a[q + 1] = (float) (qw * bx + qx * bw + qy * bz - qz * by);
                    a[q + 2] = (float) (qw * by - qx * bz + qy * bw + qz * bx);
                    a[q + 3] = (float) (qw * bz + qx * by - qy * bx + qz * bw);
                    for (int c = 0; c < 3; c++) {
                        int ch = o + SplatLayout.REST + c * per;
                        for (int l = 1; l <= degree; l++) {
                            int n = 2 * l + 1;
                            int b = ch + l * l - 1;
                            double[] mm = bands[l];
                            for (int j = 0; j < n; j++) {
                                tmp[j] = a[b + j];
                            }
                            for (int i = 0; i < n; i++) {
                                double s = 0;
                                for (int j = 0; j < n; j++) {
                                    s += mm[i * n + j] * tmp[j];
                                }
                                a[b + i] = (float) s;
                            }
                        }
                    }
                }
                return rows;
            }
        };
    }

    /** Keeps rows for which every condition holds; the columns are resolved against {@code layout} now. */
    static RowOp valueFilter(Transform.ValueFilter f, SplatLayout layout) {
        int n = f.conditions().size();
        FilterColumns.Column[] cols = new FilterColumns.Column[n];
        Transform.ValueFilter.Condition[] conds = f.conditions().toArray(new Transform.ValueFilter.Condition[0]);
        for (int i = 0; i < n; i++) {
            cols[i] = FilterColumns.column(conds[i].column(), layout);
        }
        return new Filter() {
            @Override
            boolean keep(float[] a, int o, int stride) {
                for (int i = 0; i < n; i++) {
                    if (!conds[i].test(cols[i].get(a, o))) {
                        return false;
                    }
                }
                return true;
            }
        };
    }

    static RowOp filterNan() {
        return new Filter() {
            @Override
            boolean keep(float[] a, int o, int stride) {
                for (int k = 0; k < stride; k++) {
                    if (!Float.isFinite(a[o + k])) {
                        return false;
                    }
                }
                return true;
            }
        };
    }

    static RowOp box(Transform.Box b) {
        return new Filter() {
            @Override
            boolean keep(float[] a, int o, int stride) {
                float x = a[o], y = a[o + 1], z = a[o + 2];
                return x >= b.minX() && x <= b.maxX() && y >= b.minY() && y <= b.maxY() && z >= b.minZ() && z <= b.maxZ();
            }
        };
    }

    static RowOp sphere(Transform.Sphere s) {
        double r2 = s.radius() * s.radius();
        return new Filter() {
            @Override
            boolean keep(float[] a, int o, int stride) {
                double dx = a[o] - s.x(), dy = a[o + 1] - s.y(), dz = a[o + 2] - s.z();
                return dx * dx + dy * dy + dz * dz <= r2;
            }
        };
    }

    /** Keeps row i when floor((i+1)*f) > floor(i*f). */
    static RowOp decimateFraction(double f) {
        return new Filter() {
            private long index;

            @Override
            boolean keep(float[] a, int o, int stride) {
                long i = index++;
                return Math.floor((i + 1) * f) > Math.floor(i * f);
            }
        };
    }

    /** Keeps exactly {@code keep} of {@code total} rows: row i when floor((i+1)*keep/total) > floor(i*keep/total). */
    static RowOp decimateCount(long keep, long total) {
        return new Filter() {
            private long index;

            @Override
            boolean keep(float[] a, int o, int stride) {
                long i = index++;
                return keep >= total || Strides.kept(i, keep, total);
            }
        };
    }

    private abstract static class Simple implements RowOp {
        @Override
        public boolean filters() {
            return false;
        }
    }

    private abstract static class Filter implements RowOp {
        abstract boolean keep(float[] a, int o, int stride);

        @Override
        public int apply(float[] a, int stride, int rows) {
            int kept = 0;
            for (int r = 0; r < rows; r++) {
                if (keep(a, r * stride, stride)) {
                    if (kept != r) {
                        System.arraycopy(a, r * stride, a, kept * stride, stride);
                    }
                    kept++;
                }
            }
            return kept;
        }

        @Override
        public boolean filters() {
            return true;
        }
    }
}
