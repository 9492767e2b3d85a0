package dev.vsa.core.splat;

import dev.vsa.core.transform.Transform;

import java.util.List;

/**
 * What {@link Splats#convert} should produce.
 *
 * <p>Writing {@link SplatFormat#COMPRESSED_PLY} orders the rows along a Morton curve when the transforms hold no
 * {@link Transform.MortonSort} (or end with one), as splat-transform does: its 256-splat chunks quantize against
 * their own bounds, so spatially close neighbours keep precision (the writer sorts, {@link WriteOptions#mortonOrder}).
 * Likewise {@link SplatFormat#KSPLAT} at compression levels 1-2, whose positions are offsets in buckets of nearby
 * splats (a {@link Transform.MortonSort} is appended).
 *
 * @param to         output format, or null to choose it by the output file's name
 * @param write      format-specific write choices (null means {@link WriteOptions#DEFAULTS})
 * @param transforms steps applied in order between reading and writing (null means none)
 */
public record ConvertOptions(SplatFormat to, WriteOptions write, List<Transform> transforms) {
    /** By the output's name, default write options, no transforms. */
    public static final ConvertOptions DEFAULTS = new ConvertOptions(null, WriteOptions.DEFAULTS, List.of());

    /** @throws IllegalArgumentException if {@code to} cannot be written */
    public ConvertOptions {
        if (to != null && !to.writable()) {
            throw new IllegalArgumentException(to.id() + " can be read but not written");
        }
        write = write == null ? WriteOptions.DEFAULTS : write;
        transforms = transforms == null ? List.of() : List.copyOf(transforms);
    }

    /** These options with another transform list. */
    public ConvertOptions withTransforms(List<Transform> steps) {
        return new ConvertOptions(to, write, steps);
    }
}
