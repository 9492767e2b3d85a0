package dev.vsa.core.format.ply;

import dev.vsa.core.error.ErrorCode;
import dev.vsa.core.error.MalformedInputException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A parsed PLY header (Paul Bourke's format description): storage format, elements, comments and where the
 * body starts.
 *
 * @param encoding   {@code ascii}, {@code binary_little_endian} or {@code binary_big_endian}
 * @param elements   elements in file order
 * @param comments   comment lines' text
 * @param dataOffset byte offset of the first body byte (just past {@code end_header}'s newline)
 */
record PlyHeader(String encoding, List<PlyElement> elements, List<String> comments, long dataOffset) {
    static final String ASCII = "ascii";
    static final String BINARY_LE = "binary_little_endian";
    static final String BINARY_BE = "binary_big_endian";

    /** Longest header accepted: real splat headers are a few KiB. */
    static final int MAX_HEADER_BYTES = 1 << 20;
    static final int MAX_ELEMENTS = 64;
    static final int MAX_PROPERTIES = 4096;
    /** No splat file holds more rows than this in one element. */
    static final long MAX_COUNT = 1L << 34;

    boolean binary() {
        return !encoding.equals(ASCII);
    }

    boolean bigEndian() {
        return encoding.equals(BINARY_BE);
    }

    /** The element named {@code name}, or null. */
    PlyElement element(String name) {
        for (PlyElement e : elements) {
            if (e.name().equals(name)) {
                return e;
            }
        }
        return null;
    }

    /** Whether the first bytes look like a PLY file (magic line {@code ply}). */
    static boolean looksLikePly(ByteBuffer head) {
        if (head.remaining() < 4) {
            return false;
        }
        int p = head.position();
        return head.get(p) == 'p' && head.get(p + 1) == 'l' && head.get(p + 2) == 'y'
                && (head.get(p + 3) == '\n' || head.get(p + 3) == '\r');
    }

    /** The header text within {@code head} (which starts at byte 0), or null if it does not end there. */
    static String headerText(ByteBuffer head) {
        byte[] bytes = new byte[head.remaining()];
        head.duplicate().get(bytes);
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("end_header");
        return end < 0 ? null : text.substring(0, end);
    }

    /**
     * Reads and parses the header at the start of {@code ch}.
     *
     * @throws MalformedInputException PLY_BAD_MAGIC, PLY_BAD_HEADER, PLY_UNSUPPORTED_FORMAT,
     *                                 PLY_BAD_PROPERTY_TYPE or LIMIT_EXCEEDED
     */
    static PlyHeader read(FileChannel ch, long fileSize) throws IOException {
        int limit = (int) Math.min(fileSize, MAX_HEADER_BYTES);
        ByteBuffer buf = ByteBuffer.allocate(limit);
        int headerEnd = -1;
        int scanned = 0;
        while (headerEnd < 0 && buf.hasRemaining()) {
            int n = ch.read(buf, buf.position());
            if (n < 0) {
                break;
            }
            headerEnd = findEnd(buf.array(), Math.max(0, scanned - 16), buf.position());
            scanned = buf.position();
        }
        byte[] bytes = buf.array();
        if (scanned < 4 || bytes[0] != 'p' || bytes[1] != 'l' || bytes[2] != 'y'
                || (bytes[3] != '\n' && bytes[3] != '\r')) {
            throw MalformedInputException.atByte(ErrorCode.PLY_BAD_MAGIC, 0, "the file does not start with the line 'ply'");
        }
        if (headerEnd < 0) {
            if (scanned >= MAX_HEADER_BYTES) {
                throw MalformedInputException.atByte(ErrorCode.LIMIT_EXCEEDED, MAX_HEADER_BYTES,
                        "no 'end_header' line within the first " + MAX_HEADER_BYTES + " bytes");
            }
            throw MalformedInputException.atByte(ErrorCode.PLY_BAD_HEADER, scanned,
                    "the header has no 'end_header' line before the end of the file");
        }
        return parse(new String(bytes, 0, headerEnd, StandardCharsets.ISO_8859_1), headerEnd);
    }

    /** Offset just past the newline ending the {@code end_header} line, or -1. */
    private static int findEnd(byte[] b, int from, int to) {
        byte[] key = "end_header".getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = from; i + key.length <= to; i++) {
            if (i > 0 && b[i - 1] != '\n') {
                continue;
            }
            for (int k = 0; k < key.length; k++) {
                if (b[i + k] != key[k]) {
                    continue outer;
                }
            }
            int j = i + key.length;
            while (j < to && (b[j] == ' ' || b[j] == '\t' || b[j] == '\r')) {
                j++;
            }
            if (j < to && b[j] == '\n') {
                return j + 1;
            }
        }
        return -1;
    }

    static PlyHeader parse(String text, long dataOffset) {
        String[] lines = text.split("\n", -1);
        String encoding = null;
        List<PlyElement> elements = new ArrayList<>();
        List<String> comments = new ArrayList<>();
        String elName = null;
        long elCount = 0;
        List<PlyProperty> props = null;
        Set<String> propNames = new HashSet<>();
        Set<String> elNames = new HashSet<>();
        int totalProps = 0;
        for (int ln = 1; ln < lines.length; ln++) {
            String line = lines[ln].strip();
            String where = "header line " + (ln + 1);
            if (line.isEmpty()) {
                continue;
            }
            String[] t = line.split("\\s+");
            switch (t[0]) {
                case "comment", "obj_info" -> comments.add(line.length() > t[0].length() ? line.substring(t[0].length()).strip() : "");
                case "format" -> {
                    if (encoding != null) {
                        throw new MalformedInputException(ErrorCode.PLY_BAD_HEADER, where, "a second 'format' line");
                    }
                    if (t.length != 3) {
                        throw new MalformedInputException(ErrorCode.PLY_BAD_HEADER, where, "format line must be 'format <type> 1.0', was '" + line + "'");
                    }
                    if (!t[1].equals(ASCII) && !t[1].equals(BINARY_LE) && !t[1].equals(BINARY_BE)) {
                        throw new MalformedInputException(ErrorCode.PLY_UNSUPPORTED_FORMAT, where, "unknown PLY format '" + t[1] + "'");
                    }
                    if (!t[2].equals("1.0") && !t[2].equals("1")) {
                        throw new MalformedInputException(ErrorCode.PLY_UNSUPPORTED_FORMAT, where, "unknown PLY version '" + t[2] + "'");
                    }
                    encoding = t[1];
                }
                case "element" -> {
                    if (elName != null) {
                        elements.add(new PlyElement(elName, elCount, List.copyOf(props)));
                    }
                    if (t.length != 3) {
                        throw new MalformedInputException(ErrorCode.PLY_BAD_HEADER, where, "element line must be 'element <name> <count>', was '" + line + "'");
                    }
                    if (elements.size() >= MAX_ELEMENTS) {
                        throw new MalformedInputException(ErrorCode.LIMIT_EXCEEDED, where, "more than " + MAX_ELEMENTS + " elements");
                    }
                    elName = t[1];
                    if (!elNames.add(elName)) {
                        throw new MalformedInputException(ErrorCode.PLY_BAD_HEADER, where, "element '" + elName + "' declared twice");
                    }
                    try {
                        elCount = Long.parseLong(t[2]);
                    } catch (NumberFormatException e) {
                        throw new MalformedInputException(ErrorCode.PLY_BAD_HEADER, where, "element count '" + t[2] + "' is not a whole number");
                    }
                    if (elCount < 0) {
                        throw new MalformedInputException(ErrorCode.PLY_BAD_HEADER, where, "element count " + elCount + " is negative");
                    }
                    if (elCount > MAX_COUNT) {
                        throw new MalformedInputException(ErrorCode.LIMIT_EXCEEDED, where, "element count " + elCount + " is larger than " + MAX_COUNT);
                    }
                    props = new ArrayList<>();
                    propNames.clear();
                }
                case "property" -> {
                    if (elName == null) {
                        throw new MalformedInputException(ErrorCode.PLY_BAD_HEADER, where, "property before any element");
                    }
                    if (++totalProps > MAX_PROPERTIES) {
                        throw new MalformedInputException(ErrorCode.LIMIT_EXCEEDED, where, "more than " + MAX_PROPERTIES + " properties");
                    }
                    PlyProperty p;
                    if (t.length == 5 && t[1].equals("list")) {
                        PlyType ct = type(t[2], where);
                        if (ct == PlyType.FLOAT || ct == PlyType.DOUBLE) {
                            throw new MalformedInputException(ErrorCode.PLY_BAD_PROPERTY_TYPE, where, "list count type '" + t[2] + "' is not an integer type");
                        }
                        p = new PlyProperty(t[4], type(t[3], where), ct);
                    } else if (t.length == 3) {
                        p = new PlyProperty(t[2], type(t[1], where), null);
                    } else {
                        throw new MalformedInputException(ErrorCode.PLY_BAD_HEADER, where, "property line must be 'property <type> <name>', was '" + line + "'");
                    }
                    if (!propNames.add(p.name())) {
                        throw new MalformedInputException(ErrorCode.PLY_BAD_HEADER, where, "property '" + p.name() + "' declared twice in element '" + elName + "'");
                    }
                    props.add(p);
                }
                case "end_header" -> {
                    // handled by the caller
                }
                default -> throw new MalformedInputException(ErrorCode.PLY_BAD_HEADER, where, "unknown header keyword '" + t[0] + "'");
            }
        }
        if (elName != null) {
            elements.add(new PlyElement(elName, elCount, List.copyOf(props)));
        }
        if (encoding == null) {
            throw new MalformedInputException(ErrorCode.PLY_BAD_HEADER, "header line 2", "no 'format' line");
        }
        return new PlyHeader(encoding, List.copyOf(elements), List.copyOf(comments), dataOffset);
    }

    private static PlyType type(String name, String where) {
        PlyType t = PlyType.parse(name);
        if (t == null) {
            throw new MalformedInputException(ErrorCode.PLY_BAD_PROPERTY_TYPE, where, "unknown property type '" + name + "'");
        }
        return t;
    }
}
