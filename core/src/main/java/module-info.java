/**
 * vsa core: read, write, transform, inspect and validate Gaussian splat and glTF files.
 *
 * <p>Only API packages are exported. Format codecs and other implementation packages stay internal.
 * <b>A new API package must be added to the exports below</b>, or library users on the module path
 * cannot see it (the shaded CLI and classpath users are not affected either way).
 */
@SuppressWarnings("requires-automatic") // jgltf-model and aircompressor ship no module-info (see below)
module dev.vsa.core {
    // Automatic modules: names derived from the jar file names (no Automatic-Module-Name in their manifests).
    requires jgltf.model;
    requires jgltf.impl.v2;
    requires aircompressor;
    // Jackson ships real module descriptors.
    requires com.fasterxml.jackson.databind;
    // ImageIO and BufferedImage for the renderer's pictures and glTF textures.
    requires java.desktop;
    // The renderer turns jgltf-model's java.util.logging output off (MeshScene.JGLTF_LOG).
    requires java.logging;
    // Optional native zstd for SPZ v4 (used only when present at run time).
    requires static com.github.luben.zstd_jni;
    // Optional lossless WebP (libwebp through ImageIO) for SOG.
    requires static webp.imageio;

    exports dev.vsa.core.splat;
    exports dev.vsa.core.error;
    exports dev.vsa.core.progress;
    exports dev.vsa.core.scene;
    exports dev.vsa.core.validate;
    exports dev.vsa.core.gltf;
    exports dev.vsa.core.transform;
    exports dev.vsa.core.inspect;
    exports dev.vsa.core.render;
}
