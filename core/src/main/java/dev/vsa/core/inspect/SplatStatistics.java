package dev.vsa.core.inspect;

import java.util.List;

/**
 * Distribution statistics of a splat file, from one streaming pass with memory independent of the splat count
 * ({@link SplatInspector#statistics}). Values that cannot be computed are null, never NaN.
 *
 * @param inspection what {@link SplatInspector#inspect} reports for the same file
 * @param columns    per layout column, in layout order
 * @param overdraw   the fill figure a pipeline can gate publishing on
 */
public record SplatStatistics(SplatInspection inspection, List<Distribution> columns, Overdraw overdraw) {
    /** Copies the list. */
    public SplatStatistics {
        columns = List.copyOf(columns);
    }

    /**
     * One column's distribution over its finite values. Quantiles come from a histogram keyed by the top 16 bits of
     * each float (sign, exponent, 7 mantissa bits), so they are within 2^-8 of the true value, relative, at any
     * magnitude; mean and standard deviation are exact (double accumulation).
     *
     * @param name      column name as a 3DGS PLY names it
     * @param count     finite values
     * @param mean      arithmetic mean, or null
     * @param stdDev    population standard deviation, or null
     * @param median    the 50th percentile, or null
     * @param p1        the 1st percentile, or null
     * @param p99       the 99th percentile, or null
     * @param histogram a small histogram over [p1, p99], or null when nothing is finite
     */
    public record Distribution(String name, long count, Double mean, Double stdDev, Double median, Double p1, Double p99,
                               Histogram histogram) {
    }

    /**
     * Counts in {@code counts.size()} equal bins from {@code lo} to {@code hi} (a value on a boundary goes to the
     * upper bin, {@code hi} to the last), and how many finite values lie outside.
     */
    public record Histogram(double lo, double hi, List<Long> counts, long below, long above) {
        /** Copies the list. */
        public Histogram {
            counts = List.copyOf(counts);
        }
    }

    /**
     * How many splat layers a ray through the scene crosses, roughly: the splats' summed footprint area divided by
     * the scene's cross-section. Footprint of a splat: the area of its 1-sigma ellipse over its two largest linear
     * scales (pi * s_a * s_b). Cross-section: the mean face area of the box spanned by the 1st-99th percentile of x,
     * y and z ((ex*ey + ey*ez + ex*ez) / 3), so floaters do not dilute it. This is splat-transform 3.10.2's
     * {@code fillRatio} definition (the same file gives the same figure), kept identical so a pipeline can use
     * either tool. Healthy captures land in the ones to hundreds; zero-padded exports or garbage scales land orders
     * of magnitude higher.
     *
     * @param ratio          footprint / crossSection; null when the cross-section is 0 or a scale is infinite
     * @param footprintArea  summed footprint area, scene units squared (null if infinite)
     * @param crossSection   scene units squared
     * @param extent         the 1st-99th percentile extent along x, y, z
     */
    public record Overdraw(Double ratio, Double footprintArea, double crossSection, List<Double> extent) {
        /** Copies the list. */
        public Overdraw {
            extent = List.copyOf(extent);
        }
    }
}
