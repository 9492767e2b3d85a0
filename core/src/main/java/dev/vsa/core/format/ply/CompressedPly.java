package dev.vsa.core.format.ply;

import java.util.List;

/**
 * Constants of the PlayCanvas compressed PLY, as playcanvas/splat-transform writes and reads it
 * ({@code src/lib/writers/compressed-chunk.ts}, {@code write-compressed-ply.ts}, {@code readers/decompress-ply.ts}):
 * chunks of 256 splats, each chunk with float bounds; per splat four uint32 words: position 11-10-11 and
 * scale 11-10-11 normalized to the chunk's bounds (scale bounds are log-scales clamped to [-20, 20]), colour
 * 8-8-8-8 (r g b normalized to the chunk's colour bounds, where colour = 0.5 + C0 * f_dc, and alpha =
 * sigmoid(opacity) unnormalized), rotation 2+10-10-10 (index of the largest |component| of the unit
 * quaternion in rot_0..rot_3 order, then the other three times sqrt(2)/2 plus 0.5); optional {@code sh}
 * element of uchar f_rest_* with value = (byte/256 - 0.5) * 8 (bytes 0 and 255 decode to the ends exactly).
 */
final class CompressedPly {
    static final int CHUNK = 256;
    static final double SH_C0 = 0.28209479177387814;
    static final List<String> CHUNK_PROPS = List.of(
            "min_x", "min_y", "min_z", "max_x", "max_y", "max_z",
            "min_scale_x", "min_scale_y", "min_scale_z", "max_scale_x", "max_scale_y", "max_scale_z",
            "min_r", "min_g", "min_b", "max_r", "max_g", "max_b");
    static final List<String> VERTEX_PROPS = List.of("packed_position", "packed_rotation", "packed_scale", "packed_color");
    static final double ROT_NORM = Math.sqrt(2) * 0.5;
    /** Opacity byte 0 or 255 would decode to an infinite logit: clamp alpha to keep it finite (and stable). */
    static final double ALPHA_EPS = 1e-4;

    private CompressedPly() {
    }
}
