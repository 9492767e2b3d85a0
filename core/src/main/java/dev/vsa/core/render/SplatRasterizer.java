package dev.vsa.core.render;

import dev.vsa.core.error.ErrorCode;
import dev.vsa.core.error.MalformedInputException;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * EWA splatting of a {@link SplatScene}, as the 3D Gaussian Splatting paper (Kerbl et al. 2023) describes it:
 * each splat's 3D covariance is projected to a 2D screen-space ellipse through the Jacobian of the perspective
 * projection (plus a 0.3 px low-pass on the diagonal), its colour evaluated from its SH coefficients for the
 * direction from the camera, the visible splats sorted by depth and binned into 16x16-pixel tiles, and every
 * tile's pixels blended front to back, a pixel stopping once its transmittance falls below 1/255. Tiles are
 * shared among all cores. Buffers are kept between the frames of a turntable.
 */
final class SplatRasterizer {
    static final int TILE = 16;
    /** Projected values a splat: u v conicA conicB conicC alpha r g b, and the half-width and half-height of the
     *  axis-aligned box round its ellipse where alpha stays at or above 1/255, and the exponent below which its
     *  alpha is under 1/255. */
    private static final int P = 12;
    /** Most (splat, tile) pairs one frame may hold: 64 M ints = 256 MB. */
    static final int MAX_INSTANCES = 64 << 20;
    private static final float LOW_PASS = 0.3f;
    private static final float T_MIN = 1f / 255f;
    private static final int CHUNK = 16_384;
    /** exp(-x) for x in [0, EXP_RANGE] at EXP_STEPS + 1 points, read with linear interpolation (relative error
     *  below 1e-5, far under one 8-bit level): cheaper than Math.exp in the innermost loop. */
    private static final float EXP_RANGE = 5.6f;
    private static final int EXP_STEPS = 1024;
    private static final float EXP_SCALE = EXP_STEPS / EXP_RANGE;
    private static final float[] EXP_TABLE = new float[EXP_STEPS + 2];
    /** Every half float's value, indexed by its 16 bits. */
    private static final float[] HALF = new float[65536];

    static {
        for (int i = 0; i < EXP_TABLE.length; i++) {
            EXP_TABLE[i] = (float) Math.exp(-i / (double) EXP_SCALE);
        }
        for (int i = 0; i < HALF.length; i++) {
            HALF[i] = Float.float16ToFloat((short) i);
        }
    }

    private final SplatScene scene;
    private final float[] proj;
    private final int[] keys;
    private int[] order;
    private int[] tmp;
    private float[] sorted;

    SplatRasterizer(SplatScene scene) {
        this.scene = scene;
        this.proj = new float[P * scene.count];
        this.keys = new int[scene.count];
    }

    /** Renders one frame into {@code rgb} (width x height, 0xRRGGBB). */
    void render(Camera cam, int background, int[] rgb, Budget budget) {
        int n = scene.count;
        int chunks = (n + CHUNK - 1) / CHUNK;
        IntStream.range(0, chunks).parallel().forEach(ch -> {
            budget.check();
            project(cam, ch * CHUNK, Math.min(n, (ch + 1) * CHUNK));
        });
        int visible = 0;
        for (int i = 0; i < n; i++) {
            if (keys[i] != -1) {
                visible++;
            }
        }
        if (order == null || order.length < visible) {
            order = new int[visible];
            tmp = new int[visible];
        }
        int v = 0;
        for (int i = 0; i < n; i++) {
            if (keys[i] != -1) {
                order[v++] = i;
            }
        }
        sortByDepth(order, tmp, visible);
        if (sorted == null || sorted.length < P * visible) {
            sorted = new float[P * visible];
        }
        int[] ord = order;
        float[] dst = sorted;
        int visibleCount = visible;
        IntStream.range(0, (visible + CHUNK - 1) / CHUNK).parallel().forEach(ch -> {
            for (int i = ch * CHUNK, end = Math.min(visibleCount, (ch + 1) * CHUNK); i < end; i++) {
                int from = P * ord[i], to = P * i;
                for (int k = 0; k < P; k++) {
                    dst[to + k] = proj[from + k];
                }
            }
        });
        budget.check();
        int tilesX = (cam.width + TILE - 1) / TILE, tilesY = (cam.height + TILE - 1) / TILE;
        int tiles = tilesX * tilesY;
        // Binning in parallel: each part of the depth order counts its (splat, tile) pairs, then fills its own
        // slice of every tile's list, parts in order, so each tile's list stays sorted by depth.
        int parts = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors() * 2, visible / CHUNK + 1));
        int[][] counts = new int[parts][];
        int per = (visible + parts - 1) / parts;
        IntStream.range(0, parts).parallel().forEach(part -> {
            int[] c = new int[tiles];
            for (int i = part * per, end = Math.min(visibleCount, (part + 1) * per); i < end; i++) {
                int o = P * i;
                float u = dst[o], w = dst[o + 1], rx = dst[o + 9], ry = dst[o + 10];
                int tx0 = tileLo(u - rx, tilesX), tx1 = tileHi(u + rx, tilesX, cam.width);
                int ty0 = tileLo(w - ry, tilesY), ty1 = tileHi(w + ry, tilesY, cam.height);
                for (int ty = ty0; ty <= ty1; ty++) {
                    for (int tx = tx0; tx <= tx1; tx++) {
                        c[ty * tilesX + tx]++;
                    }
                }
            }
            counts[part] = c;
        });
        int[] start = new int[tiles + 1];
        long total = 0;
        for (int t = 0; t < tiles; t++) {
            start[t] = (int) Math.min(total, Integer.MAX_VALUE);
            for (int part = 0; part < parts; part++) {
                int c = counts[part][t];
                counts[part][t] = (int) Math.min(total, Integer.MAX_VALUE); // becomes this part's fill position
                total += c;
            }
        }
        if (total > MAX_INSTANCES) {
            throw new MalformedInputException(ErrorCode.LIMIT_EXCEEDED, null, "the view has " + total
                    + " splat-tile overlaps, more than the " + MAX_INSTANCES + " a frame may hold");
        }
        start[tiles] = (int) total;
        int[] inst = new int[(int) total];
        IntStream.range(0, parts).parallel().forEach(part -> {
            int[] fill = counts[part];
            for (int i = part * per, end = Math.min(visibleCount, (part + 1) * per); i < end; i++) {
                int o = P * i;
                float u = dst[o], w = dst[o + 1], rx = dst[o + 9], ry = dst[o + 10];
                int tx0 = tileLo(u - rx, tilesX), tx1 = tileHi(u + rx, tilesX, cam.width);
                int ty0 = tileLo(w - ry, tilesY), ty1 = tileHi(w + ry, tilesY, cam.height);
                for (int ty = ty0; ty <= ty1; ty++) {
                    for (int tx = tx0; tx <= tx1; tx++) {
                        inst[fill[ty * tilesX + tx]++] = i;
                    }
                }
            }
        });
        budget.check();
        AtomicInteger next = new AtomicInteger();
        int threads = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), tilesX * tilesY));
        float bgR = ((background >> 16) & 0xFF) / 255f, bgG = ((background >> 8) & 0xFF) / 255f,
                bgB = (background & 0xFF) / 255f;
        IntStream.range(0, threads).parallel().forEach(t -> {
            float[] tr = new float[TILE * TILE];
            float[] cr = new float[TILE * TILE], cg = new float[TILE * TILE], cb = new float[TILE * TILE];
            int tile;
            while ((tile = next.getAndIncrement()) < tilesX * tilesY) {
                budget.check();
                int x0 = (tile % tilesX) * TILE, y0 = (tile / tilesX) * TILE;
                int x1 = Math.min(cam.width, x0 + TILE), y1 = Math.min(cam.height, y0 + TILE);
                blendTile(inst, start[tile], start[tile + 1], x0, y0, x1, y1, tr, cr, cg, cb);
                for (int y = y0; y < y1; y++) {
                    for (int x = x0; x < x1; x++) {
                        int p = (y - y0) * TILE + (x - x0);
                        float T = tr[p];
                        rgb[y * cam.width + x] = (channel(cr[p] + T * bgR) << 16) | (channel(cg[p] + T * bgG) << 8)
                                | channel(cb[p] + T * bgB);
                    }
                }
            }
        });
    }

    private void blendTile(int[] inst, int from, int to, int x0, int y0, int x1, int y1,
                           float[] tr, float[] cr, float[] cg, float[] cb) {
        java.util.Arrays.fill(tr, 1f);
        java.util.Arrays.fill(cr, 0f);
        java.util.Arrays.fill(cg, 0f);
        java.util.Arrays.fill(cb, 0f);
        int pixels = (x1 - x0) * (y1 - y0);
        int done = 0;
        float[] s = sorted;
        for (int k = from; k < to && done < pixels; k++) {
            int o = P * inst[k];
            float u = s[o], v = s[o + 1], ca = s[o + 2], cbq = s[o + 3], cc = s[o + 4], op = s[o + 5];
            float r = s[o + 6], g = s[o + 7], b = s[o + 8], rx = s[o + 9], ry = s[o + 10];
            int px0 = Math.max(x0, floor(u - rx)), px1 = Math.min(x1 - 1, ceil(u + rx));
            int py0 = Math.max(y0, floor(v - ry)), py1 = Math.min(y1 - 1, ceil(v + ry));
            float minPower = s[o + 11];
            for (int py = py0; py <= py1; py++) {
                float dy = py + 0.5f - v;
                int row = (py - y0) * TILE - x0;
                for (int px = px0; px <= px1; px++) {
                    int p = row + px;
                    float T = tr[p];
                    if (T < T_MIN) {
                        continue;
                    }
                    float dx = px + 0.5f - u;
                    float power = -0.5f * (ca * dx * dx + cc * dy * dy) - cbq * dx * dy;
                    if (power > 0f || power < minPower) {
                        continue;
                    }
                    float t = -power * EXP_SCALE;
                    int ti = (int) t;
                    float e = ti >= EXP_STEPS ? EXP_TABLE[EXP_STEPS] : EXP_TABLE[ti] + (t - ti) * (EXP_TABLE[ti + 1] - EXP_TABLE[ti]);
                    float a = Math.min(0.99f, op * e);
                    float w = a * T;
                    cr[p] += r * w;
                    cg[p] += g * w;
                    cb[p] += b * w;
                    T -= w;
                    tr[p] = T;
                    if (T < T_MIN) {
                        done++;
                    }
                }
            }
        }
    }

    private static int channel(float v) {
        int c = (int) (v * 255f + 0.5f);
        return c < 0 ? 0 : Math.min(c, 255);
    }

    private static int tileLo(float edge, int tiles) {
        return Math.max(0, Math.min(tiles, floor(edge) / TILE));
    }

    private static int tileHi(float edge, int tiles, int size) {
        int px = Math.min(size - 1, ceil(edge));
        return px < 0 ? -1 : Math.min(tiles - 1, px / TILE);
    }

    /** Math.floor to int without the library call (slow where the JIT does not inline it); |v| < 2^31. */
    static int floor(float v) {
        int i = (int) v;
        return v < i ? i - 1 : i;
    }

    static int ceil(float v) {
        int i = (int) v;
        return v > i ? i + 1 : i;
    }

    /** Projects splats [from, to): fills their {@link #proj} slots and depth keys, or key -1 if not visible. */
    private void project(Camera cam, int from, int to) {
        SplatScene sc = scene;
        float[] pos = sc.pos, cov = sc.cov, alpha = sc.alpha, base = sc.base;
        short[] shs = sc.sh;
        int rest = sc.rest, degree = sc.degree;
        float[] basis = new float[15];
        double focal = cam.focal;
        double limX = 1.3 * (cam.width / 2.0) / focal, limY = 1.3 * (cam.height / 2.0) / focal;
        float rx = (float) cam.rx, ry = (float) cam.ry, rz = (float) cam.rz;
        float dx = (float) cam.dx, dy = (float) cam.dy, dz = (float) cam.dz;
        float fx = (float) cam.fx0, fy = (float) cam.fy0, fz = (float) cam.fz0;
        for (int i = from; i < to; i++) {
            keys[i] = -1;
            double qx = pos[3 * i] - cam.ex, qy = pos[3 * i + 1] - cam.ey, qz = pos[3 * i + 2] - cam.ez;
            double tz = fx * qx + fy * qy + fz * qz;
            if (!(tz > 1e-6)) {
                continue;
            }
            double tx = rx * qx + ry * qy + rz * qz, ty = dx * qx + dy * qy + dz * qz;
            double u = cam.cx + focal * tx / tz, v = cam.cy + focal * ty / tz;
            // Frustum cull with the reference's 1.3 margin (a big splat just outside still reaches in).
            double xz = tx / tz, yz = ty / tz;
            if (xz < -limX * 1.5 || xz > limX * 1.5 || yz < -limY * 1.5 || yz > limY * 1.5) {
                continue;
            }
            double cxz = Math.max(-limX, Math.min(limX, xz)) * tz, cyz = Math.max(-limY, Math.min(limY, yz)) * tz;
            double j00 = focal / tz, j02 = -focal * cxz / (tz * tz), j11 = focal / tz, j12 = -focal * cyz / (tz * tz);
            // T = J W: rows of the 2x3 map from world offsets to pixels.
            double a0 = j00 * rx + j02 * fx, a1 = j00 * ry + j02 * fy, a2 = j00 * rz + j02 * fz;
            double b0 = j11 * dx + j12 * fx, b1 = j11 * dy + j12 * fy, b2 = j11 * dz + j12 * fz;
            int c = 6 * i;
            double s00 = cov[c], s01 = cov[c + 1], s02 = cov[c + 2], s11 = cov[c + 3], s12 = cov[c + 4], s22 = cov[c + 5];
            // Σ a and Σ b
            double sa0 = s00 * a0 + s01 * a1 + s02 * a2, sa1 = s01 * a0 + s11 * a1 + s12 * a2,
                    sa2 = s02 * a0 + s12 * a1 + s22 * a2;
            double sb0 = s00 * b0 + s01 * b1 + s02 * b2, sb1 = s01 * b0 + s11 * b1 + s12 * b2,
                    sb2 = s02 * b0 + s12 * b1 + s22 * b2;
            double ca = a0 * sa0 + a1 * sa1 + a2 * sa2 + LOW_PASS;
            double cb = a0 * sb0 + a1 * sb1 + a2 * sb2;
            double cc = b0 * sb0 + b1 * sb1 + b2 * sb2 + LOW_PASS;
            double det = ca * cc - cb * cb;
            if (!(det > 0)) {
                continue;
            }
            float op = alpha[i];
            // Beyond k sigma the splat's alpha is below 1/255: k = sqrt(2 ln(255 op)), at most 3 as in the paper.
            // The k-sigma ellipse's axis-aligned box has half-sides k sqrt(Σ'00) and k sqrt(Σ'11): much tighter
            // than the paper's square of k sqrt(largest eigenvalue) for long thin splats.
            double k = Math.min(3.0, Math.sqrt(2 * Math.log(255.0 * op)));
            double halfW = ceil((float) (k * Math.sqrt(ca))), halfH = ceil((float) (k * Math.sqrt(cc)));
            if (!(halfW > 0 && halfH > 0) || u + halfW < 0 || u - halfW > cam.width || v + halfH < 0 || v - halfH > cam.height) {
                continue;
            }
            int o = P * i;
            proj[o] = (float) u;
            proj[o + 1] = (float) v;
            proj[o + 2] = (float) (cc / det);
            proj[o + 3] = (float) (-cb / det);
            proj[o + 4] = (float) (ca / det);
            proj[o + 5] = op;
            float r = base[3 * i], g = base[3 * i + 1], b = base[3 * i + 2];
            if (degree > 0) {
                double inv = 1 / Math.sqrt(qx * qx + qy * qy + qz * qz);
                Sh.basis(degree, (float) (qx * inv), (float) (qy * inv), (float) (qz * inv), basis);
                int s = 3 * rest * i;
                for (int j = 0; j < rest; j++) {
                    float y = basis[j];
                    r += y * HALF[shs[s + j] & 0xFFFF];
                    g += y * HALF[shs[s + rest + j] & 0xFFFF];
                    b += y * HALF[shs[s + 2 * rest + j] & 0xFFFF];
                }
            }
            proj[o + 6] = Math.max(0f, r);
            proj[o + 7] = Math.max(0f, g);
            proj[o + 8] = Math.max(0f, b);
            proj[o + 9] = (float) halfW;
            proj[o + 10] = (float) halfH;
            proj[o + 11] = (float) -Math.log(255.0 * op); // alpha = op * exp(power) < 1/255 below this power
            keys[i] = Float.floatToRawIntBits((float) tz); // positive floats order as their bits
        }
    }

    /**
     * LSD radix sort of {@code idx[0..n)} by {@link #keys} (non-negative ints), 3 passes of 11 bits over
     * (key, index) pairs held side by side, so every pass reads sequentially.
     */
    private void sortByDepth(int[] idx, int[] buf, int n) {
        int[] k0 = new int[n], k1 = new int[n];
        for (int i = 0; i < n; i++) {
            k0[i] = keys[idx[i]];
        }
        int[] srcK = k0, dstK = k1, src = idx, dst = buf;
        int[] count = new int[2048];
        for (int shift = 0; shift < 33; shift += 11) {
            java.util.Arrays.fill(count, 0);
            for (int i = 0; i < n; i++) {
                count[(srcK[i] >>> shift) & 2047]++;
            }
            int sum = 0;
            for (int b = 0; b < 2048; b++) {
                int c = count[b];
                count[b] = sum;
                sum += c;
            }
            for (int i = 0; i < n; i++) {
                int key = srcK[i];
                int at = count[(key >>> shift) & 2047]++;
                dstK[at] = key;
                dst[at] = src[i];
            }
            int[] t = src;
            src = dst;
            dst = t;
            t = srcK;
            srcK = dstK;
            dstK = t;
        }
        if (src != idx) {
            System.arraycopy(src, 0, idx, 0, n);
        }
    }
}
