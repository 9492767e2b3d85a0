package dev.vsa.core.validate.splat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * The length a binary PLY's header implies (header + every element's rows), to find bytes after the body,
 * which readers ignore. Only what the check needs is parsed; anything unusual (ascii, list properties, an
 * unreadable header) yields -1 and the check is skipped (the reader reports real header problems).
 */
final class PlyLength {
    private static final int MAX_HEADER = 64 * 1024;

    private PlyLength() {
    }

    /** The implied length in bytes, or -1 when it cannot be computed. */
    static long expected(Path file) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(MAX_HEADER);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (buf.hasRemaining() && ch.read(buf) >= 0) {
                // fill
            }
        }
        String text = new String(buf.array(), 0, buf.position(), StandardCharsets.ISO_8859_1);
        int end = text.indexOf("end_header");
        if (end < 0) {
            return -1;
        }
        int eol = text.indexOf('\n', end);
        if (eol < 0) {
            return -1;
        }
        long total = eol + 1;
        long count = 0;
        long row = 0;
        for (String line : text.substring(0, end).split("\n")) {
            String[] t = line.trim().split("\\s+");
            switch (t[0]) {
                case "format" -> {
                    if (t.length < 2 || t[1].equals("ascii")) {
                        return -1;
                    }
                }
                case "element" -> {
                    total += count * row;
                    row = 0;
                    try {
                        count = t.length >= 3 ? Long.parseLong(t[2]) : -1;
                    } catch (NumberFormatException e) {
                        return -1;
                    }
                    if (count < 0) {
                        return -1;
                    }
                }
                case "property" -> {
                    int size = t.length >= 3 ? size(t[1]) : -1;
                    if (size < 0) {
                        return -1; // list or unknown type
                    }
                    row += size;
                }
                default -> {
                    // ply, comment, obj_info
                }
            }
            if (total < 0 || count > Long.MAX_VALUE / Math.max(1, row + 8)) {
                return -1;
            }
        }
        return total + count * row;
    }

    private static int size(String type) {
        return switch (type.toLowerCase(Locale.ROOT)) {
            case "char", "uchar", "int8", "uint8" -> 1;
            case "short", "ushort", "int16", "uint16" -> 2;
            case "int", "uint", "float", "int32", "uint32", "float32" -> 4;
            case "double", "float64" -> 8;
            default -> -1;
        };
    }
}
