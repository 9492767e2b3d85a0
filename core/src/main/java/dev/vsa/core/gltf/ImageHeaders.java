package dev.vsa.core.gltf;

import java.io.IOException;

/**
 * Reads an image's type and pixel size from its header: PNG (IHDR), JPEG (the first SOFn marker, found by
 * walking segment lengths, so a large EXIF block costs nothing), WebP (VP8, VP8L, VP8X) and KTX2. Reads only
 * the few bytes it needs.
 */
final class ImageHeaders {
    /** What was found; width and height are -1 when the header could not be read. */
    record Header(String mimeType, int width, int height) {
    }

    private static final int JPEG_MAX_SEGMENTS = 4096;

    private ImageHeaders() {
    }

    /** The header, or null if the bytes are no image type known here. */
    static Header read(Blob image) throws IOException {
        byte[] h = image.read(0, 32);
        if (h.length >= 24 && u8(h, 0) == 0x89 && h[1] == 'P' && h[2] == 'N' && h[3] == 'G'
                && h[12] == 'I' && h[13] == 'H' && h[14] == 'D' && h[15] == 'R') {
            return new Header("image/png", be32(h, 16), be32(h, 20));
        }
        if (h.length >= 3 && u8(h, 0) == 0xFF && u8(h, 1) == 0xD8 && u8(h, 2) == 0xFF) {
            return jpeg(image);
        }
        if (h.length >= 30 && h[0] == 'R' && h[1] == 'I' && h[2] == 'F' && h[3] == 'F'
                && h[8] == 'W' && h[9] == 'E' && h[10] == 'B' && h[11] == 'P') {
            return webp(h);
        }
        if (h.length >= 28 && u8(h, 0) == 0xAB && h[1] == 'K' && h[2] == 'T' && h[3] == 'X' && h[5] == '2'
                && h[6] == '0') {
            return new Header("image/ktx2", le32(h, 20), le32(h, 24));
        }
        return null;
    }

    private static Header jpeg(Blob image) throws IOException {
        long pos = 2;
        for (int i = 0; i < JPEG_MAX_SEGMENTS; i++) {
            byte[] m = image.read(pos, 9);
            if (m.length < 4 || u8(m, 0) != 0xFF) {
                break;
            }
            int marker = u8(m, 1);
            if (marker == 0xFF) {
                pos++; // fill byte
                continue;
            }
            boolean sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            if (sof) {
                if (m.length < 9) {
                    break;
                }
                return new Header("image/jpeg", be16(m, 7), be16(m, 5));
            }
            if (marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) {
                pos += 2;
                continue;
            }
            if (marker == 0xD9 || marker == 0xDA) {
                break; // end of image or start of scan before any frame header
            }
            pos += 2 + be16(m, 2);
        }
        return new Header("image/jpeg", -1, -1);
    }

    private static Header webp(byte[] h) {
        if (h[12] == 'V' && h[13] == 'P' && h[14] == '8' && h[15] == ' ') {
            return new Header("image/webp", le16(h, 26) & 0x3FFF, le16(h, 28) & 0x3FFF);
        }
        if (h[12] == 'V' && h[13] == 'P' && h[14] == '8' && h[15] == 'L') {
            int bits = le32(h, 21);
            return new Header("image/webp", (bits & 0x3FFF) + 1, ((bits >>> 14) & 0x3FFF) + 1);
        }
        if (h[12] == 'V' && h[13] == 'P' && h[14] == '8' && h[15] == 'X') {
            return new Header("image/webp", le24(h, 24) + 1, le24(h, 27) + 1);
        }
        return new Header("image/webp", -1, -1);
    }

    private static int u8(byte[] b, int i) {
        return b[i] & 0xFF;
    }

    private static int be16(byte[] b, int i) {
        return (u8(b, i) << 8) | u8(b, i + 1);
    }

    private static int be32(byte[] b, int i) {
        return (u8(b, i) << 24) | (u8(b, i + 1) << 16) | (u8(b, i + 2) << 8) | u8(b, i + 3);
    }

    private static int le16(byte[] b, int i) {
        return u8(b, i) | (u8(b, i + 1) << 8);
    }

    private static int le24(byte[] b, int i) {
        return u8(b, i) | (u8(b, i + 1) << 8) | (u8(b, i + 2) << 16);
    }

    private static int le32(byte[] b, int i) {
        return le24(b, i) | (u8(b, i + 3) << 24);
    }
}
