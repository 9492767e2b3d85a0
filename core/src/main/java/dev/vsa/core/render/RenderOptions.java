package dev.vsa.core.render;

import java.time.Duration;
import java.util.Locale;

/**
 * What to render: picture size, camera, turntable frames, background and the limits that keep a render bounded.
 *
 * <pre>{@code
 * RenderOptions o = RenderOptions.DEFAULTS.withSize(1024, 768).withCamera(CameraView.ISO);
 * RenderOptions turntable = RenderOptions.DEFAULTS.withFrames(36);
 * RenderOptions bounded = RenderOptions.DEFAULTS.withTimeBudget(Duration.ofSeconds(20));
 * }</pre>
 *
 * @param width      picture width in pixels, 1..8192
 * @param height     picture height in pixels, 1..8192
 * @param camera     where the camera looks from
 * @param frames     1 for one picture; N > 1 for a turntable of N pictures, the camera turning 360/N degrees round
 *                   the scene's up axis between them (at most 3600)
 * @param background opaque background colour, {@code 0xRRGGBB}
 * @param timeBudget wall time the whole render may take, or null for no limit; past it the render stops with
 *                   {@code LIMIT_EXCEEDED}
 * @param maxSplats  most splats kept in memory (at least 1000); a larger file is thinned by taking every k-th splat,
 *                   so memory stays bounded (about 250 bytes a kept splat with SH degree 3, buffers included)
 */
public record RenderOptions(int width, int height, CameraView camera, int frames, int background,
                            Duration timeBudget, int maxSplats) {
    /** Largest width or height. */
    public static final int MAX_SIZE = 8192;
    /** Most turntable frames. */
    public static final int MAX_FRAMES = 3600;
    /**
     * Default {@link #maxSplats()}: what a third of the JVM's heap holds at about 250 bytes a splat (packed data
     * plus one frame's buffers), between 100,000 and 8 million; 8 million with a heap of 6 GB or more.
     */
    public static final int DEFAULT_MAX_SPLATS = (int) Math.max(100_000,
            Math.min(8_000_000, Runtime.getRuntime().maxMemory() / 3 / 250));
    /** 512x512, {@link CameraView#AUTO}, one frame, dark grey background, no time limit. */
    public static final RenderOptions DEFAULTS = new RenderOptions(512, 512, CameraView.AUTO, 1, 0x202020, null,
            DEFAULT_MAX_SPLATS);

    /**
     * @throws IllegalArgumentException if a size is outside 1..8192, frames outside 1..3600, the camera null,
     *                                  the time budget not positive or maxSplats below 1000
     */
    public RenderOptions {
        if (width < 1 || width > MAX_SIZE || height < 1 || height > MAX_SIZE) {
            throw new IllegalArgumentException("size must be 1.." + MAX_SIZE + " on each side, was " + width + "x" + height);
        }
        if (camera == null) {
            throw new IllegalArgumentException("camera must not be null");
        }
        if (frames < 1 || frames > MAX_FRAMES) {
            throw new IllegalArgumentException("frames must be 1.." + MAX_FRAMES + ", was " + frames);
        }
        if (timeBudget != null && (timeBudget.isNegative() || timeBudget.isZero())) {
            throw new IllegalArgumentException("timeBudget must be positive, was " + timeBudget);
        }
        if (maxSplats < 1000) {
            throw new IllegalArgumentException("maxSplats must be >= 1000, was " + maxSplats);
        }
        background &= 0xFFFFFF;
    }

    /** These options with another picture size. @throws IllegalArgumentException as the constructor */
    public RenderOptions withSize(int width, int height) {
        return new RenderOptions(width, height, camera, frames, background, timeBudget, maxSplats);
    }

    /** These options with another camera. @throws IllegalArgumentException if {@code camera} is null */
    public RenderOptions withCamera(CameraView camera) {
        return new RenderOptions(width, height, camera, frames, background, timeBudget, maxSplats);
    }

    /** These options with {@code frames} turntable frames. @throws IllegalArgumentException outside 1..3600 */
    public RenderOptions withFrames(int frames) {
        return new RenderOptions(width, height, camera, frames, background, timeBudget, maxSplats);
    }

    /** These options with another background, {@code 0xRRGGBB}. */
    public RenderOptions withBackground(int rgb) {
        return new RenderOptions(width, height, camera, frames, rgb, timeBudget, maxSplats);
    }

    /** These options with a time budget (null: none). @throws IllegalArgumentException if not positive */
    public RenderOptions withTimeBudget(Duration budget) {
        return new RenderOptions(width, height, camera, frames, background, budget, maxSplats);
    }

    /** These options keeping at most {@code maxSplats} splats. @throws IllegalArgumentException below 1000 */
    public RenderOptions withMaxSplats(int maxSplats) {
        return new RenderOptions(width, height, camera, frames, background, timeBudget, maxSplats);
    }

    /**
     * Parses {@code WIDTHxHEIGHT} ({@code 512x512}) or a single number for a square.
     *
     * @return {width, height}
     * @throws IllegalArgumentException if the text is not a size of 1..8192 a side
     */
    public static int[] parseSize(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        int x = t.indexOf('x');
        try {
            int w = Integer.parseInt(x < 0 ? t : t.substring(0, x));
            int h = x < 0 ? w : Integer.parseInt(t.substring(x + 1));
            if (w < 1 || w > MAX_SIZE || h < 1 || h > MAX_SIZE) {
                throw new IllegalArgumentException("size '" + text + "' is outside 1.." + MAX_SIZE + " a side");
            }
            return new int[]{w, h};
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("size '" + text + "' is not WIDTHxHEIGHT (e.g. 512x512)");
        }
    }

    /**
     * Parses a colour: {@code #RRGGBB}, {@code RRGGBB}, {@code #RGB}, or one of black, white, grey/gray, darkgrey
     * (pictures are opaque: there is no transparent background).
     *
     * @return {@code 0xRRGGBB}
     * @throws IllegalArgumentException if the text is no such colour
     */
    public static int parseColor(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        switch (t) {
            case "black": return 0x000000;
            case "white": return 0xFFFFFF;
            case "grey", "gray": return 0x808080;
            case "darkgrey", "darkgray": return 0x202020;
            default: break;
        }
        String hex = t.startsWith("#") ? t.substring(1) : t;
        if (hex.length() == 3 && hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            hex = "" + hex.charAt(0) + hex.charAt(0) + hex.charAt(1) + hex.charAt(1) + hex.charAt(2) + hex.charAt(2);
        }
        if (hex.length() != 6 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new IllegalArgumentException("colour '" + text + "' is not #RRGGBB, #RGB, black, white or grey");
        }
        return Integer.parseInt(hex, 16);
    }
}
