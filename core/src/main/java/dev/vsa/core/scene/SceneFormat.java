package dev.vsa.core.scene;

import dev.vsa.core.splat.SplatFormat;

/** The container format of a scene file, as found by {@link Scenes#detect}. */
public enum SceneFormat {
    /** 3DGS PLY (ascii or binary). */
    PLY("ply"),
    /** PlayCanvas compressed PLY ({@code chunk} + packed {@code vertex} elements). */
    COMPRESSED_PLY("compressed-ply"),
    /** antimatter15 {@code .splat} (no header: recognised by its file name). */
    SPLAT("splat"),
    /** Niantic SPZ (gzip-wrapped v2/v3, plain-header v4, or an uncompressed payload). */
    SPZ("spz"),
    /** mkkellogg GaussianSplats3D {@code .ksplat}. */
    KSPLAT("ksplat"),
    /** Binary glTF. */
    GLB("glb"),
    /** JSON glTF. */
    GLTF("gltf"),
    /** PlayCanvas SOG ({@code .sog} zip or unbundled {@code meta.json}). */
    SOG("sog"),
    /** PlayCanvas streamed SOG: a LOD set's {@code lod-meta.json}. */
    LOD("lod");

    private final String id;

    SceneFormat(String id) {
        this.id = id;
    }

    /** The short name used on the command line and in JSON; the same as {@link SplatFormat#id()}. */
    public String id() {
        return id;
    }

    /** The splat format of the same name ({@code GLB} and {@code GLTF} map to the KHR_gaussian_splatting codecs). */
    public SplatFormat splatFormat() {
        return SplatFormat.valueOf(name());
    }
}
