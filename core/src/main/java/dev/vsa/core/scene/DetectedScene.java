package dev.vsa.core.scene;

/**
 * What {@link Scenes#detect} found out about a file from its first bytes and header.
 *
 * @param kind              splats or meshes
 * @param format            the container format
 * @param gaussianSplatting for glTF/GLB: whether it uses {@code KHR_gaussian_splatting} (lists it in
 *                          {@code extensionsUsed} or on a primitive); {@code kind} is {@code SPLAT} only when
 *                          a mesh primitive carries it. False for the other formats
 * @param version           the format's version where it has one: SPZ {@code "2"}/{@code "3"}/{@code "4"},
 *                          ksplat {@code "major.minor"}, PLY {@code "1.0"}, glTF and GLB {@code asset.version}
 *                          ({@code "2.0"}); null when unknown (.splat, an unreadable glTF JSON)
 * @param variant           a detail worth showing: the PLY format ({@code "binary_little_endian"},
 *                          {@code "ascii"}), the SPZ wrapping ({@code "gzip"}, {@code "zstd"},
 *                          {@code "uncompressed"}), the ksplat compression level ({@code "compression 1"}), or
 *                          {@code "glb-v1"} for a GLB of another container version; empty when none
 */
public record DetectedScene(SceneKind kind, SceneFormat format, boolean gaussianSplatting, String version,
                            String variant) {
    /**
     * @throws IllegalArgumentException if {@code kind} or {@code format} is null, or a splat-only format is
     *                                  called a mesh
     */
    public DetectedScene {
        if (kind == null || format == null) {
            throw new IllegalArgumentException("kind and format must not be null");
        }
        if (kind == SceneKind.MESH && format != SceneFormat.GLB && format != SceneFormat.GLTF) {
            throw new IllegalArgumentException(format + " holds splats only, not meshes");
        }
        if (variant == null) {
            variant = "";
        }
    }
}
