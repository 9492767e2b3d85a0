package dev.vsa.core.splat;

/**
 * What {@link Splats#convert} did.
 *
 * @param input        the input's header facts
 * @param outputFormat the format written
 * @param splatsIn     splats read from the input
 * @param splatsOut    splats written
 * @param bytesOut     size of the output: the file, and for a .gltf its .bin too
 * @param shDegreeOut  the SH degree the output holds (after transforms, and capped by what the format stores)
 * @param losses       what the conversion dropped or rounded that the input held, one sentence each (empty if
 *                     nothing): SH bands the format cannot store, extra properties, precision past the format's
 */
public record ConvertResult(SplatFileInfo input, SplatFormat outputFormat, long splatsIn, long splatsOut, long bytesOut,
                            int shDegreeOut, java.util.List<String> losses) {
    public ConvertResult {
        losses = java.util.List.copyOf(losses);
    }

    /**
     * What writing rows of {@code layout} (read from {@code from}) as {@code to} loses; the sentences of
     * {@link #losses()}.
     */
    public static java.util.List<String> lossesOf(SplatFormat from, SplatLayout layout, SplatFormat to) {
        java.util.List<String> out = new java.util.ArrayList<>();
        if (layout.shDegree() > to.maxShDegree()) {
            out.add("SH degree " + layout.shDegree() + " -> " + to.maxShDegree() + ": " + to.id() + " stores "
                    + (to.maxShDegree() == 0 ? "no SH bands" : "SH up to degree " + to.maxShDegree()));
        }
        if (!layout.extras().isEmpty() && !to.keepsExtras()) {
            out.add("extra properties dropped (" + to.id() + " has no place for them): "
                    + String.join(", ", layout.extras()));
        }
        if (to.precisionLoss() != null && from != to) {
            out.add("precision: " + to.id() + " stores " + to.precisionLoss());
        }
        return out;
    }
}
