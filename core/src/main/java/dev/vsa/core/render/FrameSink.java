package dev.vsa.core.render;

import java.awt.image.BufferedImage;
import java.io.IOException;

/**
 * Receives the pictures of a render, in order. The image is the caller's to keep or write; the renderer does not
 * touch it again.
 */
@FunctionalInterface
public interface FrameSink {
    /**
     * @param index frame number, from 0 (always 0 for a single picture)
     * @param image the picture, {@link BufferedImage#TYPE_INT_RGB}
     * @throws IOException if the caller fails to store it (the render stops and rethrows)
     */
    void frame(int index, BufferedImage image) throws IOException;
}
