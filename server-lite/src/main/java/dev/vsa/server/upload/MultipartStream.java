package dev.vsa.server.upload;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads a {@code multipart/form-data} body (RFC 7578, RFC 2046 section 5.1) part by part straight from the
 * request stream: each part's content is an {@link InputStream} over a fixed buffer, so a part of any size
 * passes in constant memory. The delimiter is found with a Boyer-Moore-Horspool search, which looks at about
 * one byte in {@code delimiter length}: parsing runs at memory speed rather than at byte-loop speed (a byte-wise
 * parser was the bottleneck of a 1 GB upload).
 */
public final class MultipartStream {
    /** Part header blocks are small; a larger one is a malformed (or hostile) body. */
    private static final int MAX_HEADER_BYTES = 16 * 1024;
    private static final int BUFFER = 256 * 1024;

    /** The body is not well-formed multipart. */
    public static final class MalformedException extends IOException {
        private static final long serialVersionUID = 1L;

        public MalformedException(String message) {
            super(message);
        }
    }

    /** One part: its form field name, its file name (null for a plain field), its declared type and its bytes. */
    public record Part(String field, String fileName, String contentType, InputStream content) {
    }

    private final InputStream in;
    private final byte[] delimiter;
    private final int[] shift = new int[256];
    private final byte[] buf;
    private int start;
    private int end;
    /** No delimiter starts before this index (positions already searched). */
    private int scanned;
    private boolean finished;
    private boolean eof;
    private PartStream current;

    private MultipartStream(InputStream in, String boundary) {
        this.in = in;
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        this.buf = new byte[Math.max(BUFFER, 4 * delimiter.length)];
        java.util.Arrays.fill(shift, delimiter.length);
        for (int i = 0; i < delimiter.length - 1; i++) {
            shift[delimiter[i] & 0xff] = delimiter.length - 1 - i;
        }
        // The first boundary has no CRLF before it: pretend there was one, so every delimiter looks the same.
        buf[0] = '\r';
        buf[1] = '\n';
        end = 2;
    }

    /**
     * Starts reading {@code body}.
     *
     * @throws MalformedException if {@code contentType} is not multipart with a usable boundary
     */
    public static MultipartStream open(String contentType, long contentLength, InputStream body) throws IOException {
        String boundary = parameter(contentType, "boundary");
        if (boundary == null || boundary.isEmpty() || boundary.length() > 70) {
            throw new MalformedException("multipart Content-Type without a valid boundary");
        }
        return new MultipartStream(body, boundary);
    }

    /**
     * The next part, or null after the closing delimiter. Whatever the caller left unread of the previous part
     * is skipped.
     *
     * @throws MalformedException if the body is not well-formed
     * @throws IOException        if reading the body fails
     */
    public Part next() throws IOException {
        if (current != null) {
            current.skipRest();
            current = null;
        } else if (!finished) {
            // Before the first part: skip the preamble up to and through the first delimiter.
            int d;
            while ((d = find()) < 0) {
                start = Math.max(start, scanned);
                if (!fill()) {
                    throw new MalformedException("no multipart boundary in the body");
                }
            }
            start = d + delimiter.length;
            scanned = start;
        }
        if (finished) {
            return null;
        }
        // After a delimiter: "--" ends the body; else optional whitespace then CRLF, then the part's headers.
        need(2);
        if (buf[start] == '-' && buf[start + 1] == '-') {
            finished = true;
            return null;
        }
        int headerEnd = -1;
        while (true) {
            int at = indexOf(buf, start, end, HEADER_END);
            if (at >= 0) {
                headerEnd = at;
                break;
            }
            if (end - start > MAX_HEADER_BYTES) {
                throw new MalformedException("part headers longer than " + MAX_HEADER_BYTES + " bytes");
            }
            if (!fill()) {
                throw new MalformedException("body ended inside part headers");
            }
        }
        // The headers block starts after the delimiter line's CRLF; a part with no headers has "\r\n\r\n" at once.
        String block = new String(buf, start, headerEnd - start, StandardCharsets.UTF_8);
        start = headerEnd + HEADER_END.length;
        scanned = start;
        String field = null;
        String fileName = null;
        String type = null;
        for (String line : block.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue; // the rest of the delimiter line (transport padding) or junk
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            if (name.equals("content-disposition")) {
                field = parameter(value, "name");
                fileName = parameter(value, "filename");
            } else if (name.equals("content-type")) {
                type = value;
            }
        }
        current = new PartStream();
        return new Part(field, fileName, type, current);
    }

    private static final byte[] HEADER_END = {'\r', '\n', '\r', '\n'};

    /** Position of the next delimiter in the buffered bytes, or -1 (then {@link #scanned} moves on). */
    private int find() {
        int n = delimiter.length;
        int i = Math.max(start, scanned);
        while (i + n <= end) {
            int j = n - 1;
            while (j >= 0 && buf[i + j] == delimiter[j]) {
                j--;
            }
            if (j < 0) {
                return i;
            }
            i += shift[buf[i + n - 1] & 0xff];
        }
        scanned = Math.max(start, Math.min(i, end - n + 1));
        return -1;
    }

    /** Makes at least {@code k} bytes available from {@link #start}. */
    private void need(int k) throws IOException {
        while (end - start < k) {
            if (!fill()) {
                throw new MalformedException("body ended after a boundary");
            }
        }
    }

    /** Reads more into the buffer (compacting first); false at the end of the body. */
    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        if (start > 0) {
            System.arraycopy(buf, start, buf, 0, end - start);
            end -= start;
            scanned = Math.max(0, scanned - start);
            start = 0;
        }
        if (end == buf.length) {
            throw new IllegalStateException("multipart buffer full without progress");
        }
        int r = in.read(buf, end, buf.length - end);
        if (r < 0) {
            eof = true;
            return false;
        }
        end += r;
        return true;
    }

    private static int indexOf(byte[] a, int from, int to, byte[] what) {
        outer:
        for (int i = from; i + what.length <= to; i++) {
            for (int j = 0; j < what.length; j++) {
                if (a[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** The value of {@code name=value} or {@code name="value"} in a header value, or null. */
    static String parameter(String header, String name) {
        if (header == null) {
            return null;
        }
        int i = 0;
        int n = header.length();
        while (i < n) {
            int semi = header.indexOf(';', i);
            if (semi < 0) {
                return null;
            }
            i = semi + 1;
            while (i < n && header.charAt(i) == ' ') {
                i++;
            }
            int eq = header.indexOf('=', i);
            if (eq < 0) {
                return null;
            }
            String key = header.substring(i, eq).trim();
            int v = eq + 1;
            String value;
            if (v < n && header.charAt(v) == '"') {
                StringBuilder sb = new StringBuilder();
                int k = v + 1;
                for (; k < n && header.charAt(k) != '"'; k++) {
                    char c = header.charAt(k);
                    if (c == '\\' && k + 1 < n) {
                        c = header.charAt(++k);
                    }
                    sb.append(c);
                }
                value = sb.toString();
                i = k + 1;
            } else {
                int stop = header.indexOf(';', v);
                value = header.substring(v, stop < 0 ? n : stop).trim();
                i = stop < 0 ? n : stop;
            }
            if (key.equalsIgnoreCase(name)) {
                return value;
            }
        }
        return null;
    }

    /** The content of the current part: ends just before the next delimiter. */
    private final class PartStream extends InputStream {
        private boolean done;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (len == 0) {
                return 0;
            }
            while (true) {
                int d = find();
                int safe = d >= 0 ? d : Math.max(start, scanned);
                if (safe > start) {
                    int k = Math.min(len, safe - start);
                    System.arraycopy(buf, start, b, off, k);
                    start += k;
                    return k;
                }
                if (d == start) {
                    done = true;
                    start = d + delimiter.length;
                    scanned = start;
                    return -1;
                }
                if (!fill()) {
                    throw new MalformedException("body ended inside a part (no closing boundary)");
                }
            }
        }

        void skipRest() throws IOException {
            byte[] skip = new byte[8192];
            while (read(skip, 0, skip.length) >= 0) {
                // discard
            }
        }
    }
}
