package dev.vsa.core.format.spz;

import dev.vsa.core.format.util.SpillBuffer;

import io.airlift.compress.zstd.ZstdOutputStream;

import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Compresses one SPZ attribute column as its bytes arrive, into a {@link SpillBuffer}: a zstd frame (v4), or a raw
 * deflate segment that ends on a byte boundary with a sync flush (v3), so independent segments concatenate into one
 * deflate stream as pigz does. For deflate the strategy is chosen on the first bytes: Huffman-only when it beats
 * level 6 on them (random-looking quantized data, where level 6 is slow and no smaller), else level 6 as the
 * reference uses.
 *
 * <p>With zstd-jni the level is chosen the same way: the first {@link #ZSTD_SAMPLE} bytes are held back and
 * compressed at each of {@link NativeZstd#STREAM_LEVELS}; the smallest wins (the faster on a tie). Quantized columns
 * of noisy data (the SH of a capture with little structure) come out smaller at level 1 than at 5 (level 5 spends
 * its time on short matches that cost more than the literals they replace), at a tenth of the time; structured
 * columns (sorted positions) are smaller at 5. A column that ends within the sample is written as the smallest
 * one-shot frame of {@link NativeZstd#SMALL_COLUMN_LEVELS}, whose parameters fit its known size and which include
 * the reference writers' level 12, so small files come out no larger than theirs.
 * Not thread-safe; one thread at a time.
 */
final class ColumnCompressor {
    /** Bytes of the first write used to choose the deflate strategy. */
    static final int SAMPLE = 256 << 10;
    static final int DEFLATE_LEVEL = 6;
    /** Bytes of a zstd column held back to choose its level (and compressed whole when the column is no longer). */
    static final int ZSTD_SAMPLE = 256 << 10;

    private final boolean zstd;
    private final SpillBuffer out;
    private final OutputStream sink;
    private final boolean nativeZstd;
    private OutputStream z;
    /** zstd-jni: the first bytes of the column, until {@link #ZSTD_SAMPLE} are there. */
    private byte[] head;
    private int headLen;
    /** The zstd-jni level chosen on the sample, or 0 before. */
    private int level;
    private Deflater deflater;
    private final CRC32 crc = new CRC32();
    private final byte[] buf = new byte[1 << 16];
    private long size;

    ColumnCompressor(boolean zstd, SpillBuffer out) {
        this(zstd, out, NativeZstd.AVAILABLE);
    }

    /** @param nativeZstd use zstd-jni (levels chosen per column, {@link NativeZstd}) rather than aircompressor for zstd */
    ColumnCompressor(boolean zstd, SpillBuffer out, boolean nativeZstd) {
        this.zstd = zstd;
        this.nativeZstd = nativeZstd;
        this.out = out;
        this.sink = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                out.write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }
        };
    }

    /** Uncompressed bytes taken so far. */
    long size() {
        return size;
    }

    /** CRC-32 of the uncompressed bytes (deflate only). */
    long crc() {
        return crc.getValue();
    }

    /** The compressed bytes (complete after {@link #finish()}). */
    SpillBuffer output() {
        return out;
    }

    void write(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return;
        }
        size += len;
        if (zstd) {
            if (nativeZstd && z == null) {
                if (head == null) {
                    head = new byte[ZSTD_SAMPLE];
                }
                int take = Math.min(len, ZSTD_SAMPLE - headLen);
                System.arraycopy(b, off, head, headLen, take);
                headLen += take;
                if (headLen < ZSTD_SAMPLE) {
                    return;
                }
                level = chooseLevel(head, headLen, false).level();
                z = ZstdJni.open(sink, level);
                z.write(head, 0, headLen);
                head = null;
                off += take;
                len -= take;
                if (len == 0) {
                    return;
                }
            } else if (z == null) {
                z = new ZstdOutputStream(sink);
            }
            z.write(b, off, len);
            return;
        }
        crc.update(b, off, len);
        if (deflater == null) {
            deflater = chooseDeflater(b, off, Math.min(len, SAMPLE));
        }
        deflater.setInput(b, off, len);
        while (!deflater.needsInput()) {
            int n = deflater.deflate(buf, 0, buf.length, Deflater.NO_FLUSH);
            out.write(buf, 0, n);
        }
    }

    /** A level and the frame it made of the sample. */
    private record Trial(int level, byte[] frame) {
    }

    /** The smallest frame of the candidates (the earlier, faster level on a tie); {@code whole}: the column ends here. */
    private static Trial chooseLevel(byte[] b, int len, boolean whole) {
        Trial best = null;
        for (int level : whole ? NativeZstd.SMALL_COLUMN_LEVELS : NativeZstd.STREAM_LEVELS) {
            byte[] frame = ZstdJni.compress(b, 0, len, level);
            if (best == null || frame.length < best.frame().length) {
                best = new Trial(level, frame);
            }
        }
        return best;
    }

    /** The zstd-jni level this column was compressed at (0 before it was chosen). */
    int zstdLevel() {
        return level;
    }

    private static Deflater chooseDeflater(byte[] b, int off, int len) {
        long huffman = trial(b, off, len, Deflater.HUFFMAN_ONLY);
        long standard = trial(b, off, len, Deflater.DEFAULT_STRATEGY);
        Deflater d = new Deflater(DEFLATE_LEVEL, true);
        d.setStrategy(huffman <= standard ? Deflater.HUFFMAN_ONLY : Deflater.DEFAULT_STRATEGY);
        return d;
    }

    private static long trial(byte[] b, int off, int len, int strategy) {
        Deflater d = new Deflater(DEFLATE_LEVEL, true);
        try {
            d.setStrategy(strategy);
            d.setInput(b, off, len);
            d.finish();
            byte[] tmp = new byte[1 << 16];
            long n = 0;
            while (!d.finished()) {
                n += d.deflate(tmp);
            }
            return n;
        } finally {
            d.end();
        }
    }

    /** Ends the frame (zstd) or the segment with a sync flush (deflate); nothing is written for an empty column. */
    void finish() throws IOException {
        if (zstd) {
            if (z == null && headLen > 0) {
                Trial t = chooseLevel(head, headLen, true);
                level = t.level();
                out.write(t.frame(), 0, t.frame().length);
                head = null;
            } else if (z != null) {
                z.close(); // ends the frame; the sink leaves the spill buffer open
            }
            return;
        }
        if (deflater != null) {
            int n;
            do {
                n = deflater.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
                out.write(buf, 0, n);
            } while (n == buf.length);
            deflater.end();
        }
    }

    /** Frees the deflater or native zstd context if {@link #finish()} was not reached. */
    void abandon() {
        if (deflater != null) {
            deflater.end();
        }
        if (z != null && nativeZstd) {
            try {
                z.close();
            } catch (IOException | RuntimeException e) {
                // abandoned output: only the native context had to go
            }
        }
    }

    /** zlib's crc32_combine: the CRC of A followed by B from crc(A), crc(B) and len(B). */
    static long crc32Combine(long crc1, long crc2, long len2) {
        if (len2 <= 0) {
            return crc1;
        }
        long[] even = new long[32];
        long[] odd = new long[32];
        odd[0] = 0xedb88320L;
        long row = 1;
        for (int n = 1; n < 32; n++) {
            odd[n] = row;
            row <<= 1;
        }
        square(even, odd);
        square(odd, even);
        do {
            square(even, odd);
            if ((len2 & 1) != 0) {
                crc1 = times(even, crc1);
            }
            len2 >>>= 1;
            if (len2 == 0) {
                break;
            }
            square(odd, even);
            if ((len2 & 1) != 0) {
                crc1 = times(odd, crc1);
            }
            len2 >>>= 1;
        } while (len2 != 0);
        return crc1 ^ crc2;
    }

    private static long times(long[] mat, long vec) {
        long sum = 0;
        for (int i = 0; vec != 0; i++, vec >>>= 1) {
            if ((vec & 1) != 0) {
                sum ^= mat[i];
            }
        }
        return sum;
    }

    private static void square(long[] sq, long[] mat) {
        for (int n = 0; n < 32; n++) {
            sq[n] = times(mat, mat[n]);
        }
    }
}
