package dev.vsa.core.splat;

/**
 * What {@link Splats#convert} did.
 *
 * @param input        the input's header facts
 * @param outputFormat the format written
 * @param splatsIn     splats read from the input
 * @param splatsOut    splats written
 * @param bytesOut     size of the output file
 */
public record ConvertResult(SplatFileInfo input, SplatFormat outputFormat, long splatsIn, long splatsOut, long bytesOut) {
}
