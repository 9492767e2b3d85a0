package dev.vsa.core.format.sog;

import dev.vsa.core.error.ErrorCode;
import dev.vsa.core.error.MalformedInputException;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.awt.image.DirectColorModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageInputStreamImpl;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * WebP for SOG. Lossless images (all SOG's) are decoded by {@link Vp8l}, in Java; writing them, and decoding lossy
 * or extended ones, goes through {@code com.github.usefulness:webp-imageio} (libwebp, natives for Linux, macOS and
 * Windows inside its jar), an optional dependency of core: without it those are refused with one line naming it.
 * The image's size is read from its RIFF header and checked before anything is decoded.
 */
final class Webp {
    /** WebP's largest width or height. */
    static final int MAX_SIDE = 16383;
    /** Bytes of a WebP file that hold its size (RIFF header and the first chunk's header). */
    static final int HEADER_BYTES = 30;
    /** What a user lacking the library is told. */
    static final String MISSING = "SOG needs WebP support: put com.github.usefulness:webp-imageio (0.11+) on the"
            + " class path (the vsa CLI ships it)";
    /** Null when the library and its native code for this platform are there, else what a user is told. */
    /** Probed on first use by a writer or a lossy image: reading lossless SOG images never needs the library. */
    private static final class Probe {
        static final String UNAVAILABLE = probe();
    }

    /** Encoder effort (libwebp lossless "quality", 0-100) and method (0-6): see {@link #encodeLossless}. */
    static final float EFFORT = 0.5f;
    static final int METHOD = 2;

    private Webp() {
    }

    /**
     * Looks for the library's classes and for its native libwebp for this platform (a resource in its jar), without
     * loading either: this class names none of the library's types outside {@link Lib}, so that verifying it loads
     * none of them (a missing class would otherwise surface as a NoClassDefFoundError in the caller).
     */
    private static String probe() {
        ClassLoader loader = Webp.class.getClassLoader();
        Class<?> osInfo;
        try {
            Class.forName("com.luciad.imageio.webp.WebPImageReaderSpi", false, loader);
            Class.forName("com.luciad.imageio.webp.WebPWriteParam", false, loader);
            osInfo = Class.forName("com.luciad.imageio.webp.internal.OsInfo", false, loader);
        } catch (Throwable e) { // absent jar
            return MISSING;
        }
        String folder;
        try {
            folder = (String) osInfo.getMethod("getNativeLibFolderPathForCurrentOS").invoke(null);
        } catch (Throwable e) { // another version of the library: let it find its natives itself
            return null;
        }
        String lib = "native/" + folder + "/" + System.mapLibraryName("webp-imageio");
        if (osInfo.getClassLoader().getResource(lib) == null && !onLibraryPath("webp-imageio")) {
            return nativeMissing(folder);
        }
        return null;
    }

    private static boolean onLibraryPath(String name) {
        for (String dir : System.getProperty("java.library.path", "").split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && java.nio.file.Files.isRegularFile(java.nio.file.Path.of(dir, System.mapLibraryName(name)))) {
                return true;
            }
        }
        return false;
    }

    private static String nativeMissing(String platform) {
        return "SOG needs WebP support: com.github.usefulness:webp-imageio has no native libwebp that loads here ("
                + platform + ")";
    }

    /** @throws UnsupportedOperationException if the WebP library or its native code is not there */
    static void require() {
        if (Probe.UNAVAILABLE != null) {
            throw new UnsupportedOperationException(Probe.UNAVAILABLE);
        }
    }

    /** The library failed to link at first use (its native code did not load): one line, not the linkage error. */
    private static UnsupportedOperationException unlinked(LinkageError e) {
        String platform = System.getProperty("os.name") + " " + System.getProperty("os.arch");
        return new UnsupportedOperationException(nativeMissing(platform), e);
    }

    /** The library's own types, kept out of {@link Webp}'s signatures and bodies (see {@link #probe}). */
    private static final class Lib {
        private Lib() {
        }

        static ImageWriteParam losslessParam() {
            com.luciad.imageio.webp.WebPWriteParam param = new com.luciad.imageio.webp.WebPWriteParam(Locale.ROOT);
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            for (String type : param.getCompressionTypes()) {
                if (type.toLowerCase(Locale.ROOT).contains("lossless")) {
                    param.setCompressionType(type);
                }
            }
            param.setCompressionQuality(EFFORT);
            param.setMethod(METHOD);
            param.setExact(true); // the alpha channel is data (opacity), not transparency
            return param;
        }
    }

    /** Width and height of a WebP image. */
    record Size(int width, int height) {
        long pixels() {
            return (long) width * height;
        }
    }

    /**
     * Reads the size from the RIFF header (VP8, VP8L or VP8X chunk) without decoding.
     *
     * @throws MalformedInputException {@code SOG_BAD_IMAGE} if the bytes are not a WebP image
     */
    static Size size(byte[] d, String name) {
        if (d.length < HEADER_BYTES || d[0] != 'R' || d[1] != 'I' || d[2] != 'F' || d[3] != 'F'
                || d[8] != 'W' || d[9] != 'E' || d[10] != 'B' || d[11] != 'P') {
            throw new MalformedInputException(ErrorCode.SOG_BAD_IMAGE, name, "not a WebP image (no RIFF/WEBP header)");
        }
        Size s;
        if (d[12] == 'V' && d[13] == 'P' && d[14] == '8' && d[15] == 'L') {
            if ((d[20] & 0xFF) != 0x2F) {
                throw new MalformedInputException(ErrorCode.SOG_BAD_IMAGE, name, "bad VP8L signature");
            }
            int bits = le(d, 21, 4);
            s = new Size((bits & 0x3FFF) + 1, ((bits >>> 14) & 0x3FFF) + 1);
        } else if (d[12] == 'V' && d[13] == 'P' && d[14] == '8' && d[15] == 'X') {
            s = new Size(le(d, 24, 3) + 1, le(d, 27, 3) + 1);
        } else if (d[12] == 'V' && d[13] == 'P' && d[14] == '8' && d[15] == ' ') {
            s = new Size(le(d, 26, 2) & 0x3FFF, le(d, 28, 2) & 0x3FFF);
        } else {
            throw new MalformedInputException(ErrorCode.SOG_BAD_IMAGE, name, "unknown WebP chunk");
        }
        if (s.width < 1 || s.height < 1 || s.width > MAX_SIDE || s.height > MAX_SIDE) {
            throw new MalformedInputException(ErrorCode.SOG_BAD_IMAGE, name,
                    "WebP size " + s.width + "x" + s.height + " is outside 1.." + MAX_SIDE);
        }
        return s;
    }

    private static int le(byte[] d, int at, int n) {
        int v = 0;
        for (int i = n - 1; i >= 0; i--) {
            v = (v << 8) | (d[at + i] & 0xFF);
        }
        return v;
    }

    /**
     * Decodes a WebP image of the given (already checked) size into ARGB ints, row-major (alpha 255 where the image
     * has none). A lossless image (a VP8L chunk right after the RIFF header) is decoded in Java: loading libwebp
     * (webp-imageio extracts and compares its native library on every run) cost more than the decoding.
     *
     * @throws MalformedInputException {@code SOG_BAD_IMAGE} if the data does not decode to that size
     * @throws UnsupportedOperationException if the image is lossy or extended and the WebP library is not there
     */
    static int[] decode(byte[] data, Size expected, String name) {
        return decode(data, data.length, expected, name);
    }

    /** As {@link #decode(byte[], Size, String)} of the image in {@code data[0, length)}. */
    static int[] decode(byte[] data, int length, Size expected, String name) {
        if (data[12] == 'V' && data[13] == 'P' && data[14] == '8' && data[15] == 'L') {
            // lossless, as SOG's images are: decoded here, without loading libwebp
            long chunk = le(data, 16, 4) & 0xFFFFFFFFL;
            int end = (int) Math.min(length, 20 + chunk);
            try {
                return Vp8l.decode(data, 20, end, expected.width, expected.height);
            } catch (Vp8l.BadData e) {
                throw new MalformedInputException(ErrorCode.SOG_BAD_IMAGE, name, "WebP does not decode: " + e.getMessage());
            }
        }
        return decodeWithLibrary(length == data.length ? data : java.util.Arrays.copyOf(data, length), expected, name);
    }

    /**
     * Lossy and extended (VP8X) WebP through libwebp (and any WebP, for tests). The decoder's own pixel array is
     * returned: the bytes go to libwebp without the copies ImageIO's stream caching makes, and no pixel passes
     * through {@link BufferedImage#getRGB} (1M pixels through its colour model cost more than the decoding).
     */
    static int[] decodeWithLibrary(byte[] data, Size expected, String name) {
        require();
        try {
            ImageReader reader = new com.luciad.imageio.webp.WebPImageReaderSpi().createReaderInstance();
            try (ImageInputStream in = new BytesInput(data)) {
                reader.setInput(in);
                BufferedImage img = reader.read(0);
                if (img.getWidth() != expected.width || img.getHeight() != expected.height) {
                    throw new MalformedInputException(ErrorCode.SOG_BAD_IMAGE, name, "WebP decodes to "
                            + img.getWidth() + "x" + img.getHeight() + ", its header says " + expected.width + "x" + expected.height);
                }
                int n = expected.width * expected.height;
                if (img.getRaster().getDataBuffer() instanceof DataBufferInt ints && ints.getNumBanks() == 1
                        && ints.getOffset() == 0 && ints.getData().length == n
                        && img.getRaster().getSampleModelTranslateX() == 0
                        && img.getRaster().getSampleModelTranslateY() == 0
                        && img.getColorModel() instanceof DirectColorModel cm && cm.getRedMask() == 0xFF0000
                        && cm.getGreenMask() == 0xFF00 && cm.getBlueMask() == 0xFF && !cm.isAlphaPremultiplied()
                        && cm.getColorSpace().isCS_sRGB()) {
                    int[] px = ints.getData();
                    if (!cm.hasAlpha()) {
                        // what getRGB gives for an opaque image
                        for (int i = 0; i < n; i++) {
                            px[i] |= 0xFF000000;
                        }
                    } else if (cm.getAlphaMask() != 0xFF000000) {
                        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
                    }
                    return px;
                }
                return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
            } finally {
                reader.dispose();
            }
        } catch (LinkageError e) {
            throw unlinked(e);
        } catch (IOException | RuntimeException e) {
            if (e instanceof MalformedInputException m) {
                throw m;
            }
            throw new MalformedInputException(ErrorCode.SOG_BAD_IMAGE, name, "WebP does not decode: " + e.getMessage(), e);
        }
    }

    /**
     * An image input stream over bytes in memory that tells its length, so the WebP reader takes them in one copy
     * (over a stream of unknown length it collects them 4 KB at a time).
     */
    static final class BytesInput extends ImageInputStreamImpl {
        private final byte[] data;

        BytesInput(byte[] data) {
            this.data = data;
        }

        @Override
        public int read() {
            if (streamPos >= data.length) {
                return -1;
            }
            bitOffset = 0;
            return data[(int) streamPos++] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            if (streamPos >= data.length) {
                return -1;
            }
            bitOffset = 0;
            int n = (int) Math.min(len, data.length - streamPos);
            System.arraycopy(data, (int) streamPos, b, off, n);
            streamPos += n;
            return n;
        }

        @Override
        public long length() {
            return data.length;
        }
    }

    /** Encodes RGBA bytes (4 a pixel, row-major) as lossless WebP, RGB kept exactly under alpha 0. */
    static byte[] encodeLossless(byte[] rgba, int width, int height) {
        require();
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        int[] px = ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
        for (int i = 0, o = 0; i < px.length; i++, o += 4) {
            px[i] = (rgba[o + 3] & 0xFF) << 24 | (rgba[o] & 0xFF) << 16 | (rgba[o + 1] & 0xFF) << 8 | (rgba[o + 2] & 0xFF);
        }
        ImageWriter writer;
        try {
            writer = new com.luciad.imageio.webp.WebPImageWriterSpi().createWriterInstance();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (LinkageError e) {
            throw unlinked(e);
        }
        try {
            ImageWriteParam param = Lib.losslessParam();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(width * height);
            try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
                writer.setOutput(out);
                writer.write(null, new IIOImage(img, null, null), param);
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (LinkageError e) {
            throw unlinked(e);
        } finally {
            writer.dispose();
        }
    }
}
