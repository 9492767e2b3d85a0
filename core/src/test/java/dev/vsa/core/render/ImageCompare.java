package dev.vsa.core.render;

import java.awt.image.BufferedImage;

/**
 * Picture distances for reference-image tests: mean absolute difference over the RGB channels (0..255), and the
 * mean structural similarity (SSIM, Wang et al. 2004, constants K1 = 0.01, K2 = 0.03) of the luma over 8x8
 * windows with stride 4.
 */
final class ImageCompare {
    private ImageCompare() {
    }

    static double meanAbsoluteDifference(BufferedImage a, BufferedImage b) {
        requireSameSize(a, b);
        long sum = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y), q = b.getRGB(x, y);
                for (int s = 0; s < 24; s += 8) {
                    sum += Math.abs(((p >> s) & 0xFF) - ((q >> s) & 0xFF));
                }
            }
        }
        return sum / (3.0 * a.getWidth() * a.getHeight());
    }

    static double ssim(BufferedImage a, BufferedImage b) {
        requireSameSize(a, b);
        int w = a.getWidth(), h = a.getHeight();
        double[] la = luma(a), lb = luma(b);
        double c1 = Math.pow(0.01 * 255, 2), c2 = Math.pow(0.03 * 255, 2);
        double total = 0;
        int windows = 0;
        for (int y0 = 0; y0 + 8 <= h; y0 += 4) {
            for (int x0 = 0; x0 + 8 <= w; x0 += 4) {
                double ma = 0, mb = 0;
                for (int y = y0; y < y0 + 8; y++) {
                    for (int x = x0; x < x0 + 8; x++) {
                        ma += la[y * w + x];
                        mb += lb[y * w + x];
                    }
                }
                ma /= 64;
                mb /= 64;
                double va = 0, vb = 0, cov = 0;
                for (int y = y0; y < y0 + 8; y++) {
                    for (int x = x0; x < x0 + 8; x++) {
                        double da = la[y * w + x] - ma, db = lb[y * w + x] - mb;
                        va += da * da;
                        vb += db * db;
                        cov += da * db;
                    }
                }
                va /= 63;
                vb /= 63;
                cov /= 63;
                total += ((2 * ma * mb + c1) * (2 * cov + c2)) / ((ma * ma + mb * mb + c1) * (va + vb + c2));
                windows++;
            }
        }
        return windows == 0 ? 1 : total / windows;
    }

    private static double[] luma(BufferedImage img) {
        int w = img.getWidth(), h = img.getHeight();
        double[] l = new double[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = img.getRGB(x, y);
                l[y * w + x] = 0.299 * ((p >> 16) & 0xFF) + 0.587 * ((p >> 8) & 0xFF) + 0.114 * (p & 0xFF);
            }
        }
        return l;
    }

    private static void requireSameSize(BufferedImage a, BufferedImage b) {
        if (a.getWidth() != b.getWidth() || a.getHeight() != b.getHeight()) {
            throw new AssertionError("sizes differ: " + a.getWidth() + "x" + a.getHeight() + " vs "
                    + b.getWidth() + "x" + b.getHeight());
        }
    }
}
