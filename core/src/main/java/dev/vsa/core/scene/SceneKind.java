package dev.vsa.core.scene;

/** What a scene file holds, which decides how a worker processes it. */
public enum SceneKind {
    /** Gaussian splats: a splat format, or glTF/GLB whose meshes carry {@code KHR_gaussian_splatting}. */
    SPLAT,
    /** A glTF/GLB with triangle (or other non-splat) meshes only. */
    MESH
}
