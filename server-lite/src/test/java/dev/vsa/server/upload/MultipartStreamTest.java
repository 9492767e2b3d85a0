package dev.vsa.server.upload;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MultipartStreamTest {
    private static final String TYPE = "multipart/form-data; boundary=\"----b0und;ary\"";
    private static final String B = "----b0und;ary";

    /** Hands out at most {@code chunk} bytes a read, so delimiters straddle reads. */
    private static InputStream chunked(byte[] data, int chunk) {
        return new ByteArrayInputStream(data) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, chunk));
            }
        };
    }

    private static byte[] body(byte[]... contents) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes("preamble to ignore\r\n".getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < contents.length; i++) {
            o.writeBytes(("--" + B + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a;b " + i
                    + ".splat\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            o.writeBytes(contents[i]);
            o.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        o.writeBytes(("--" + B + "--\r\nepilogue").getBytes(StandardCharsets.US_ASCII));
        return o.toByteArray();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 17, 4096, 1 << 20})
    void next_partsOfAnySizeAcrossReadBoundaries_exactBytes(int chunk) throws IOException {
        SplittableRandom r = new SplittableRandom(chunk);
        byte[] big = new byte[700_000];
        r.nextBytes(big);
        // Content that nearly contains the delimiter: a prefix of it, and CRLF-dash runs.
        byte[] tricky = ("\r\n--" + B.substring(0, 8) + "x\r\n-\r\n--\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[][] contents = {big, tricky, new byte[0], "z".getBytes(StandardCharsets.US_ASCII)};
        MultipartStream m = MultipartStream.open(TYPE, -1, chunked(body(contents), chunk));
        List<byte[]> got = new ArrayList<>();
        MultipartStream.Part p;
        while ((p = m.next()) != null) {
            assertEquals("file", p.field());
            assertEquals("a;b " + got.size() + ".splat", p.fileName());
            assertEquals("application/octet-stream", p.contentType());
            got.add(p.content().readAllBytes());
        }
        assertEquals(contents.length, got.size());
        for (int i = 0; i < contents.length; i++) {
            assertArrayEquals(contents[i], got.get(i), "part " + i);
        }
    }

    @Test
    void next_unreadPartSkipped() throws IOException {
        MultipartStream m = MultipartStream.open(TYPE, -1, new ByteArrayInputStream(body(new byte[100_000], "b".getBytes())));
        m.next();
        assertArrayEquals("b".getBytes(), m.next().content().readAllBytes());
        assertNull(m.next());
    }

    @Test
    void read_truncatedBody_malformed() throws IOException {
        byte[] whole = body(new byte[50_000]);
        byte[] cut = java.util.Arrays.copyOf(whole, whole.length / 2);
        MultipartStream m = MultipartStream.open(TYPE, -1, new ByteArrayInputStream(cut));
        InputStream part = m.next().content();
        assertThrows(MultipartStream.MalformedException.class, part::readAllBytes);
    }

    @Test
    void open_noBoundary_malformed() {
        assertThrows(MultipartStream.MalformedException.class,
                () -> MultipartStream.open("multipart/form-data", -1, new ByteArrayInputStream(new byte[0])));
    }

    @Test
    void next_noDelimiterAtAll_malformed() throws IOException {
        MultipartStream m = MultipartStream.open(TYPE, -1, new ByteArrayInputStream("just text".getBytes()));
        assertThrows(MultipartStream.MalformedException.class, m::next);
    }
}
