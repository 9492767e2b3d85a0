package dev.vsa.core.render;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * Draws a {@link MeshScene} with a depth buffer. Triangles are binned into horizontal bands of the picture,
 * bands are shared among all cores; within a band each pixel keeps the nearest triangle and its perspective-correct
 * barycentric weights, and only the visible surface is shaded afterwards (base colour factor x texture x vertex
 * colour, lit by a key light from the camera's upper left, a fill light and ambient). Faces are lit from whichever
 * side the camera sees, so single-sided and inside-out meshes still read.
 */
final class MeshRasterizer {
    private static final int BAND = 16;

    private final MeshScene scene;
    private final float[] sx, sy, iz;

    MeshRasterizer(MeshScene scene) {
        this.scene = scene;
        this.sx = new float[scene.vertexCount];
        this.sy = new float[scene.vertexCount];
        this.iz = new float[scene.vertexCount];
    }

    void render(Camera cam, int background, int[] rgb, Budget budget) {
        int w = cam.width, h = cam.height;
        float[] p = scene.pos;
        for (int v = 0; v < scene.vertexCount; v++) {
            double qx = p[3 * v] - cam.ex, qy = p[3 * v + 1] - cam.ey, qz = p[3 * v + 2] - cam.ez;
            double z = cam.fx0 * qx + cam.fy0 * qy + cam.fz0 * qz;
            double x = cam.rx * qx + cam.ry * qy + cam.rz * qz, y = cam.dx * qx + cam.dy * qy + cam.dz * qz;
            if (z > 1e-9) {
                sx[v] = (float) (cam.cx + cam.focal * x / z);
                sy[v] = (float) (cam.cy + cam.focal * y / z);
                iz[v] = (float) (1 / z);
            } else {
                iz[v] = -1; // behind the camera: triangles using it are skipped
            }
        }
        budget.check();
        int bands = (h + BAND - 1) / BAND;
        int[] start = new int[bands + 1];
        int[] tris = scene.tris;
        int tcount = scene.triangleCount;
        for (int pass = 0; pass < 2; pass++) {
            int[] fill = pass == 0 ? null : Arrays.copyOf(start, bands);
            int[] list = pass == 0 ? null : new int[start[bands]];
            for (int t = 0; t < tcount; t++) {
                int a = tris[3 * t], b = tris[3 * t + 1], c = tris[3 * t + 2];
                if (iz[a] < 0 || iz[b] < 0 || iz[c] < 0) {
                    continue;
                }
                float y0 = Math.min(sy[a], Math.min(sy[b], sy[c])), y1 = Math.max(sy[a], Math.max(sy[b], sy[c]));
                float x0 = Math.min(sx[a], Math.min(sx[b], sx[c])), x1 = Math.max(sx[a], Math.max(sx[b], sx[c]));
                if (y1 < 0 || y0 > h || x1 < 0 || x0 > w) {
                    continue;
                }
                int b0 = Math.max(0, (int) y0 / BAND), b1 = Math.min(bands - 1, (int) y1 / BAND);
                for (int band = b0; band <= b1; band++) {
                    if (pass == 0) {
                        start[band + 1]++;
                    } else {
                        list[fill[band]++] = t;
                    }
                }
            }
            if (pass == 0) {
                for (int band = 0; band < bands; band++) {
                    start[band + 1] += start[band];
                }
            } else {
                rasterBands(cam, background, rgb, budget, start, list);
            }
        }
    }

    private void rasterBands(Camera cam, int background, int[] rgb, Budget budget, int[] start, int[] list) {
        int w = cam.width, h = cam.height, bands = start.length - 1;
        // Key light from the camera's upper left and a little behind it; a fill light from the right.
        double[] key = light(cam, -0.45, -0.6, -1.0);
        double[] fillLight = light(cam, 0.7, 0.2, -0.6);
        AtomicInteger next = new AtomicInteger();
        int threads = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), bands));
        IntStream.range(0, threads).parallel().forEach(thread -> {
            float[] depth = new float[w * BAND];
            int[] tri = new int[w * BAND];
            float[] wb = new float[w * BAND], wc = new float[w * BAND];
            int band;
            while ((band = next.getAndIncrement()) < bands) {
                budget.check();
                int by0 = band * BAND, by1 = Math.min(h, by0 + BAND);
                Arrays.fill(depth, 0f);
                Arrays.fill(tri, -1);
                for (int k = start[band]; k < start[band + 1]; k++) {
                    raster(list[k], by0, by1, w, depth, tri, wb, wc);
                }
                for (int y = by0; y < by1; y++) {
                    for (int x = 0; x < w; x++) {
                        int i = (y - by0) * w + x;
                        rgb[y * w + x] = tri[i] < 0 ? background : shade(cam, tri[i], wb[i], wc[i], x, y, key, fillLight);
                    }
                }
            }
        });
    }

    private static double[] light(Camera cam, double right, double down, double forward) {
        double x = cam.rx * right + cam.dx * down + cam.fx0 * forward;
        double y = cam.ry * right + cam.dy * down + cam.fy0 * forward;
        double z = cam.rz * right + cam.dz * down + cam.fz0 * forward;
        double n = Math.sqrt(x * x + y * y + z * z);
        return new double[]{x / n, y / n, z / n}; // direction towards the light
    }

    /** Rasterizes triangle {@code t} into the band's rows [by0, by1): nearest wins (largest 1/z). */
    private void raster(int t, int by0, int by1, int w, float[] depth, int[] tri, float[] wb, float[] wc) {
        int[] tris = scene.tris;
        int a = tris[3 * t], b = tris[3 * t + 1], c = tris[3 * t + 2];
        float ax = sx[a], ay = sy[a], bx = sx[b], by = sy[b], cx = sx[c], cy = sy[c];
        float area = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
        if (!(Math.abs(area) > 1e-12f)) {
            return;
        }
        float inv = 1f / area;
        int x0 = Math.max(0, SplatRasterizer.floor(Math.min(ax, Math.min(bx, cx)))),
                x1 = Math.min(w - 1, SplatRasterizer.ceil(Math.max(ax, Math.max(bx, cx))));
        int y0 = Math.max(by0, SplatRasterizer.floor(Math.min(ay, Math.min(by, cy)))),
                y1 = Math.min(by1 - 1, SplatRasterizer.ceil(Math.max(ay, Math.max(by, cy))));
        float za = iz[a], zb = iz[b], zc = iz[c];
        MeshScene.Material mat = scene.materials.get(scene.triMaterial[t]);
        boolean mask = mat.alphaCutoff() >= 0;
        for (int y = y0; y <= y1; y++) {
            float py = y + 0.5f;
            int row = (y - by0) * w;
            for (int x = x0; x <= x1; x++) {
                float px = x + 0.5f;
                // Barycentric weights of a, b, c (signed areas over the whole, so orientation does not matter).
                float l1 = ((px - ax) * (cy - ay) - (py - ay) * (cx - ax)) * inv;
                float l2 = ((bx - ax) * (py - ay) - (by - ay) * (px - ax)) * inv;
                float l0 = 1f - l1 - l2;
                if (l0 < 0 || l1 < 0 || l2 < 0) {
                    continue;
                }
                float z = l0 * za + l1 * zb + l2 * zc;
                int i = row + x;
                if (z <= depth[i]) {
                    continue;
                }
                float pb = l1 * zb / z, pc = l2 * zc / z;
                if (mask && alpha(t, a, b, c, 1 - pb - pc, pb, pc, mat) < mat.alphaCutoff()) {
                    continue;
                }
                depth[i] = z;
                tri[i] = t;
                wb[i] = pb;
                wc[i] = pc;
            }
        }
    }

    private float alpha(int t, int a, int b, int c, float wa, float wb, float wc, MeshScene.Material mat) {
        float[] col = scene.color;
        float va = wa * col[4 * a + 3] + wb * col[4 * b + 3] + wc * col[4 * c + 3];
        float al = mat.a() * va;
        if (mat.texture() != null) {
            float[] uv = scene.uv;
            float u = wa * uv[2 * a] + wb * uv[2 * b] + wc * uv[2 * c];
            float v = wa * uv[2 * a + 1] + wb * uv[2 * b + 1] + wc * uv[2 * c + 1];
            al *= ((sample(mat, u, v) >>> 24) & 0xFF) / 255f;
        }
        return al;
    }

    private int shade(Camera cam, int t, float wb, float wc, int x, int y, double[] key, double[] fill) {
        int[] tris = scene.tris;
        int a = tris[3 * t], b = tris[3 * t + 1], c = tris[3 * t + 2];
        float wa = 1 - wb - wc;
        MeshScene.Material mat = scene.materials.get(scene.triMaterial[t]);
        float[] col = scene.color;
        float r = mat.r() * (wa * col[4 * a] + wb * col[4 * b] + wc * col[4 * c]);
        float g = mat.g() * (wa * col[4 * a + 1] + wb * col[4 * b + 1] + wc * col[4 * c + 1]);
        float bl = mat.b() * (wa * col[4 * a + 2] + wb * col[4 * b + 2] + wc * col[4 * c + 2]);
        if (mat.texture() != null) {
            float[] uv = scene.uv;
            float u = wa * uv[2 * a] + wb * uv[2 * b] + wc * uv[2 * c];
            float v = wa * uv[2 * a + 1] + wb * uv[2 * b + 1] + wc * uv[2 * c + 1];
            int texel = sample(mat, u, v);
            r *= ((texel >> 16) & 0xFF) / 255f;
            g *= ((texel >> 8) & 0xFF) / 255f;
            bl *= (texel & 0xFF) / 255f;
        }
        float[] nrm = scene.normal;
        float[] p = scene.pos;
        double nx = wa * nrm[3 * a] + wb * nrm[3 * b] + wc * nrm[3 * c];
        double ny = wa * nrm[3 * a + 1] + wb * nrm[3 * b + 1] + wc * nrm[3 * c + 1];
        double nz = wa * nrm[3 * a + 2] + wb * nrm[3 * b + 2] + wc * nrm[3 * c + 2];
        double nn = nx * nx + ny * ny + nz * nz;
        if (!(nn > 1e-20)) { // no normals: the face's own
            double ux = p[3 * b] - p[3 * a], uy = p[3 * b + 1] - p[3 * a + 1], uz = p[3 * b + 2] - p[3 * a + 2];
            double vx = p[3 * c] - p[3 * a], vy = p[3 * c + 1] - p[3 * a + 1], vz = p[3 * c + 2] - p[3 * a + 2];
            nx = uy * vz - uz * vy;
            ny = uz * vx - ux * vz;
            nz = ux * vy - uy * vx;
            nn = nx * nx + ny * ny + nz * nz;
        }
        double ninv = nn > 0 ? 1 / Math.sqrt(nn) : 0;
        nx *= ninv;
        ny *= ninv;
        nz *= ninv;
        // Towards the camera from the surface point: flip the normal to the side the camera sees.
        double px = wa * p[3 * a] + wb * p[3 * b] + wc * p[3 * c];
        double py = wa * p[3 * a + 1] + wb * p[3 * b + 1] + wc * p[3 * c + 1];
        double pz = wa * p[3 * a + 2] + wb * p[3 * b + 2] + wc * p[3 * c + 2];
        if (nx * (cam.ex - px) + ny * (cam.ey - py) + nz * (cam.ez - pz) < 0) {
            nx = -nx;
            ny = -ny;
            nz = -nz;
        }
        double diffuse = Math.max(0, nx * key[0] + ny * key[1] + nz * key[2]);
        double fillD = Math.max(0, nx * fill[0] + ny * fill[1] + nz * fill[2]);
        float light = (float) (0.28 + 0.72 * diffuse + 0.25 * fillD);
        return (channel(r * light) << 16) | (channel(g * light) << 8) | channel(bl * light);
    }

    private static int channel(float v) {
        int c = (int) (v * 255f + 0.5f);
        return c < 0 ? 0 : Math.min(c, 255);
    }

    /** Bilinear texture lookup with the sampler's wrap modes; ARGB. */
    private static int sample(MeshScene.Material m, float u, float v) {
        int w = m.texW(), h = m.texH();
        float fx = u * w - 0.5f, fy = v * h - 0.5f;
        int x0 = SplatRasterizer.floor(fx), y0 = SplatRasterizer.floor(fy);
        float tx = fx - x0, ty = fy - y0;
        int xa = wrap(x0, w, m.wrapS()), xb = wrap(x0 + 1, w, m.wrapS());
        int ya = wrap(y0, h, m.wrapT()), yb = wrap(y0 + 1, h, m.wrapT());
        int[] px = m.texture();
        int c00 = px[ya * w + xa], c10 = px[ya * w + xb], c01 = px[yb * w + xa], c11 = px[yb * w + xb];
        int out = 0;
        for (int shift = 0; shift < 32; shift += 8) {
            float top = ((c00 >>> shift) & 0xFF) * (1 - tx) + ((c10 >>> shift) & 0xFF) * tx;
            float bottom = ((c01 >>> shift) & 0xFF) * (1 - tx) + ((c11 >>> shift) & 0xFF) * tx;
            out |= ((int) (top * (1 - ty) + bottom * ty + 0.5f) & 0xFF) << shift;
        }
        return out;
    }

    private static int wrap(int i, int n, int mode) {
        if (mode == 33071) { // CLAMP_TO_EDGE
            return i < 0 ? 0 : Math.min(i, n - 1);
        }
        if (mode == 33648) { // MIRRORED_REPEAT
            int period = 2 * n;
            int k = Math.floorMod(i, period);
            return k < n ? k : period - 1 - k;
        }
        return Math.floorMod(i, n); // REPEAT
    }
}
