package dev.vsa.core.render;

/**
 * What a render did.
 *
 * @param kind      {@code "splats"} or {@code "mesh"}
 * @param width     picture width
 * @param height    picture height
 * @param frames    pictures made
 * @param inputCount splats in the file, or triangles in the glTF's scene
 * @param drawn     splats or triangles kept for drawing (a splat file larger than
 *                  {@link RenderOptions#maxSplats()} is thinned; invisible splats are dropped)
 * @param millis    wall time of the whole render, loading included
 */
public record RenderResult(String kind, int width, int height, int frames, long inputCount, long drawn, long millis) {
}
