package dev.vsa.core.gltf.resource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reads what an image header says (type, size, format, bits, colour information) without decoding pixels, for
 * every glTF reader: PNG, JPEG and WebP as the Khronos validator's header readers do (the validator reports each
 * {@link Problem}), and KTX2's size. Reads only the header segments of the (usually memory-mapped) data.
 *
 * <pre>{@code
 * ImageHeaders.Header h = ImageHeaders.header(ByteBuffer.wrap(pngBytes)); // image/png, 512 x 512
 * }</pre>
 */
public final class ImageHeaders {
    private ImageHeaders() {
    }

    /** Why a header could not be read (the validator's {@code IMAGE_*} issue of the same name). */
    public enum Problem {
        /** Not a PNG, JPEG or WebP. */
        UNRECOGNIZED_FORMAT,
        /** The data ends inside the header. */
        UNEXPECTED_EOS,
        /** The header is malformed. */
        DATA_INVALID
    }

    /** Type and size only; width and height are -1 when the header could not be read. */
    public record Header(String mimeType, int width, int height) {
    }

    /** What an image header says. */
    public record Info(String mimeType, int bits, String format, long width, long height, String primaries, String transfer,
                boolean nonSquarePixels, boolean animation) {
        public boolean customColor() {
            return "custom".equals(primaries) || "custom".equals(transfer);
        }
    }

    /** Why an image header could not be read. */
    public static final class Bad extends Exception {
        private static final long serialVersionUID = 1L;
        private final Problem problem;

        Bad(Problem problem, String message) {
            super(message, null, false, false);
            this.problem = problem;
        }

        /** What is wrong. */
        public Problem problem() {
            return problem;
        }
    }

    /**
     * The type and size an image's header gives, for readers that only describe images: null if the bytes are no
     * image type known here, sizes -1 if the header cannot be read.
     */
    public static Header header(ByteBuffer data) {
        String mime = detectMimeType(data);
        if (mime == null) {
            return null;
        }
        if (mime.equals("image/ktx2")) {
            ByteBuffer d = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            int p = d.position();
            return d.remaining() >= 28 ? new Header(mime, d.getInt(p + 20), d.getInt(p + 24)) : new Header(mime, -1, -1);
        }
        try {
            Info i = parse(data);
            return new Header(mime, (int) i.width(), (int) i.height());
        } catch (Bad e) {
            return new Header(mime, -1, -1);
        }
    }

    /** As {@link #detectMimeType(ByteBuffer)}. */
    public static String detectMimeType(byte[] b) {
        return detectMimeType(ByteBuffer.wrap(b));
    }

    /** image/jpeg, image/png, image/webp, image/ktx2 or null, from the first 14 bytes. */
    public static String detectMimeType(ByteBuffer b) {
        if (b.remaining() < 14) {
            return null;
        }
        ByteBuffer d = b.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int p = d.position();
        int dword0 = d.getInt(p);
        if ((dword0 & 0xFFFFFF) == 0xFFD8FF) {
            return "image/jpeg";
        }
        if (dword0 == 0x474E5089 && d.getInt(p + 4) == 0x0A1A0A0D) {
            return "image/png";
        }
        if (dword0 == 0x46464952 && d.getInt(p + 8) == 0x50424557 && (d.getShort(p + 12) & 0xFFFF) == 0x5056) {
            return "image/webp";
        }
        if (dword0 == 0x58544BAB && d.getInt(p + 4) == 0xBB303220 && d.getInt(p + 8) == 0x0A1A0A0D) {
            return "image/ktx2";
        }
        return null;
    }

    /**
     * Parses an image header.
     *
     * @throws Bad IMAGE_UNRECOGNIZED_FORMAT, IMAGE_UNEXPECTED_EOS or IMAGE_DATA_INVALID
     */
    public static Info parse(ByteBuffer data) throws Bad {
        String mime = detectMimeType(data);
        ByteBuffer d = data.slice().order(ByteOrder.BIG_ENDIAN);
        if ("image/jpeg".equals(mime)) {
            return jpeg(d);
        }
        if ("image/png".equals(mime)) {
            return png(d);
        }
        if ("image/webp".equals(mime)) {
            return webp(d);
        }
        throw new Bad(Problem.UNRECOGNIZED_FORMAT, null);
    }

    private static Bad eos() {
        return new Bad(Problem.UNEXPECTED_EOS, null);
    }

    private static Info jpeg(ByteBuffer d) throws Bad {
        final int start = 0, markerStart = 1, lengthStart = 2, lengthEnd = 3;
        int state = start;
        int type = 0;
        int length = 0;
        int i = 0;
        int n = d.limit();
        while (i < n) {
            int b = d.get(i) & 0xFF;
            switch (state) {
                case start -> {
                    if (b != 0xFF) {
                        throw new Bad(Problem.DATA_INVALID, "Invalid start of file.");
                    }
                    state = markerStart;
                }
                case markerStart -> {
                    if (hasSegment(b)) {
                        state = lengthStart;
                        type = b;
                    }
                }
                case lengthStart -> {
                    length = b << 8;
                    state = lengthEnd;
                }
                default -> {
                    length += b;
                    if (length < 2) {
                        throw new Bad(Problem.DATA_INVALID, "Invalid JPEG marker segment length.");
                    }
                    int segStart = i + 1;
                    int segLen = length - 2;
                    if (isSof(type)) {
                        if (segStart + segLen > n || segLen < 6) {
                            throw eos();
                        }
                        int bits = d.get(segStart) & 0xFF;
                        int height = (d.get(segStart + 1) & 0xFF) << 8 | (d.get(segStart + 2) & 0xFF);
                        int width = (d.get(segStart + 3) & 0xFF) << 8 | (d.get(segStart + 4) & 0xFF);
                        int channels = d.get(segStart + 5) & 0xFF;
                        String format;
                        if (channels == 3) {
                            format = "rgb";
                        } else if (channels == 1) {
                            format = "luminance";
                        } else {
                            throw new Bad(Problem.DATA_INVALID, "Invalid number of JPEG color channels.");
                        }
                        return new Info("image/jpeg", bits, format, width, height, null, null, false, false);
                    }
                    if ((long) segStart + segLen >= n) {
                        throw eos();
                    }
                    i = segStart + segLen;
                    state = markerStart;
                    continue;
                }
            }
            i++;
        }
        throw eos();
    }

    private static boolean isSof(int m) {
        return ((m & 0xF0) == 0xC0 && m != 0xC4 && m != 0xC8 && m != 0xCC) || m == 0xDE;
    }

    private static boolean hasSegment(int m) {
        return !(m == 0x01 || (m & 0xF8) == 0xD0 || m == 0xD8 || m == 0xD9 || m == 0xFF);
    }

    private static final int IHDR = 0x49484452;
    private static final int TRNS = 0x74524E53;
    private static final int CHRM = 0x6348524D;
    private static final int SRGB = 0x73524742;
    private static final int PHYS = 0x70485973;
    private static final int GAMA = 0x67414D41;
    private static final int ICCP = 0x69434350;
    private static final int IDAT = 0x49444154;

    private static Info png(ByteBuffer d) throws Bad {
        long pos = 8;
        long n = d.limit();
        boolean hasHeader = false;
        boolean trns = false;
        String transfer = null;
        String primaries = null;
        boolean nonSquare = false;
        int ihdrAt = -1;
        while (true) {
            if (pos + 8 > n) {
                throw eos();
            }
            long length = d.getInt((int) pos) & 0xFFFFFFFFL;
            int type = d.getInt((int) pos + 4);
            long dataAt = pos + 8;
            switch (type) {
                case IHDR -> {
                    if (length != 13) {
                        throw new Bad(Problem.DATA_INVALID, "Wrong chunk length.");
                    }
                    hasHeader = true;
                    ihdrAt = (int) dataAt;
                }
                case TRNS -> trns = true;
                case CHRM -> {
                    if (length != 32) {
                        throw new Bad(Problem.DATA_INVALID, "Wrong chunk length.");
                    }
                }
                case SRGB -> {
                    if (length != 1) {
                        throw new Bad(Problem.DATA_INVALID, "Wrong chunk length.");
                    }
                }
                case PHYS -> {
                    if (length != 9) {
                        throw new Bad(Problem.DATA_INVALID, "Wrong chunk length.");
                    }
                }
                case GAMA -> {
                    if (length != 4) {
                        throw new Bad(Problem.DATA_INVALID, "Wrong chunk length.");
                    }
                }
                case ICCP -> {
                    transfer = "custom";
                    primaries = "custom";
                }
                case IDAT -> {
                    if (!hasHeader) {
                        throw new Bad(Problem.DATA_INVALID, "PNG header not found.");
                    }
                    long width = d.getInt(ihdrAt) & 0xFFFFFFFFL;
                    long height = d.getInt(ihdrAt + 4) & 0xFFFFFFFFL;
                    int bits = d.get(ihdrAt + 8) & 0xFF;
                    String format = switch (d.get(ihdrAt + 9)) {
                        case 0 -> trns ? "luminance-alpha" : "luminance";
                        case 2, 3 -> trns ? "rgba" : "rgb";
                        case 4 -> "luminance-alpha";
                        case 6 -> "rgba";
                        default -> null;
                    };
                    return new Info("image/png", bits, format, width, height, primaries == null ? "srgb" : primaries,
                            transfer == null ? "srgb" : transfer, nonSquare, false);
                }
                default -> {
                    // other chunks are skipped
                }
            }
            if (dataAt + length + 4 > n) {
                throw eos();
            }
            int at = (int) dataAt;
            switch (type) {
                case SRGB -> {
                    transfer = "srgb";
                    primaries = "srgb";
                }
                case CHRM -> {
                    if (primaries == null) {
                        int[] v = new int[8];
                        for (int k = 0; k < 8; k++) {
                            v[k] = d.getInt(at + 4 * k);
                        }
                        boolean srgb = v[0] == 31270 && v[1] == 32900 && v[2] == 64000 && v[3] == 33000
                                && v[4] == 30000 && v[5] == 60000 && v[6] == 15000 && v[7] == 6000;
                        primaries = srgb ? "srgb" : "custom";
                    }
                }
                case GAMA -> {
                    if (transfer == null) {
                        int g = d.getInt(at);
                        transfer = g == 45455 ? "srgb" : g == 100000 ? "linear" : "custom";
                    }
                }
                case PHYS -> nonSquare = d.getInt(at) != d.getInt(at + 4);
                default -> {
                }
            }
            pos = dataAt + length + 4;
        }
    }

    private static Info webp(ByteBuffer d) throws Bad {
        int n = d.limit();
        if (n < 25 || (n < 30 && (d.get(0xF) & 0xFF) != 0x4C)) {
            throw eos();
        }
        if (d.getInt(0) != 0x52494646 || d.getInt(8) != 0x57454250) {
            throw new Bad(Problem.DATA_INVALID, "Wrong WebP header.");
        }
        int type = d.getInt(12);
        String format;
        long width;
        long height;
        boolean custom = false;
        boolean animation = false;
        ByteBuffer le = d.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        switch (type) {
            case 0x56503820 -> {
                format = "rgb";
                width = le.getShort(26) & 0x3FFF;
                height = le.getShort(28) & 0x3FFF;
            }
            case 0x5650384C -> {
                int b21 = d.get(21) & 0xFF, b22 = d.get(22) & 0xFF, b23 = d.get(23) & 0xFF, b24 = d.get(24) & 0xFF;
                width = 1 + (b21 | ((b22 & 0x3F) << 8));
                height = 1 + ((b22 >> 6) | (b23 << 2) | ((b24 & 0xF) << 10));
                format = (b24 & 0x10) == 0x10 ? "rgba" : "rgb";
            }
            case 0x56503858 -> {
                int features = d.get(20) & 0xFF;
                animation = (features & 2) == 2;
                custom = (features & 0x20) == 0x20;
                format = (features & 0x10) == 0x10 ? "rgba" : "rgb";
                width = ((d.get(24) & 0xFF) | ((d.get(25) & 0xFF) << 8) | ((d.get(26) & 0xFF) << 16)) + 1;
                height = ((d.get(27) & 0xFF) | ((d.get(28) & 0xFF) << 8) | ((d.get(29) & 0xFF) << 16)) + 1;
            }
            default -> throw new Bad(Problem.DATA_INVALID, "Wrong WebP header.");
        }
        String cs = custom ? "custom" : "srgb";
        return new Info("image/webp", 8, format, width, height, cs, cs, false, animation);
    }
}
