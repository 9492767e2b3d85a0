package dev.vsa.core.format.ply;

import dev.vsa.core.error.ErrorCode;
import dev.vsa.core.error.MalformedInputException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** Whitespace-separated tokens of an ascii PLY body, read through a fixed buffer. */
final class AsciiTokens {
    private static final int MAX_TOKEN = 256;

    private final FileChannel ch;
    private final ByteBuffer buf = ByteBuffer.allocate(1 << 16);
    private final char[] token = new char[MAX_TOKEN];
    private long filePos;
    private long bufStart;

    AsciiTokens(FileChannel ch, long start) {
        this.ch = ch;
        this.filePos = start;
        this.bufStart = start;
        buf.limit(0);
    }

    /** Byte offset of the next unread byte. */
    long position() {
        return bufStart + buf.position();
    }

    private int next() throws IOException {
        if (!buf.hasRemaining()) {
            bufStart = filePos;
            buf.clear();
            int n = ch.read(buf, filePos);
            buf.flip();
            if (n <= 0) {
                return -1;
            }
            filePos += n;
        }
        return buf.get() & 0xFF;
    }

    /** Skips to just past the next newline. @return false at end of file */
    boolean skipLine() throws IOException {
        int c;
        while ((c = next()) >= 0) {
            if (c == '\n') {
                return true;
            }
        }
        return false;
    }

    /**
     * The next token parsed as a number.
     *
     * @param row      vertex index, for error messages
     * @param property property name, for error messages
     * @throws MalformedInputException PLY_TRUNCATED at end of file, PLY_BAD_VALUE if it is not a number
     */
    double nextNumber(long row, String property) throws IOException {
        int c;
        do {
            c = next();
        } while (c == ' ' || c == '\t' || c == '\n' || c == '\r');
        if (c < 0) {
            String where = "vertex " + row + " property " + property;
            throw new MalformedInputException(ErrorCode.PLY_TRUNCATED, where + " (byte " + position() + ")",
                    "the ascii body ends before " + where);
        }
        long start = position() - 1;
        int len = 0;
        while (c >= 0 && c != ' ' && c != '\t' && c != '\n' && c != '\r') {
            if (len == MAX_TOKEN) {
                String where = "vertex " + row + " property " + property;
                throw new MalformedInputException(ErrorCode.PLY_BAD_VALUE, where + " (byte " + start + ")",
                        "a value longer than " + MAX_TOKEN + " characters");
            }
            token[len++] = (char) c;
            c = next();
        }
        String s = new String(token, 0, len);
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            String where = "vertex " + row + " property " + property;
            String shown = s.length() > 40 ? s.substring(0, 40) + "..." : s;
            throw new MalformedInputException(ErrorCode.PLY_BAD_VALUE, where + " (byte " + start + ")",
                    "'" + shown + "' is not a number");
        }
    }
}
