package dev.vsa.core.format.spz;

import dev.vsa.core.format.SplatCodec;
import dev.vsa.core.splat.SplatFormat;
import dev.vsa.core.splat.SplatLayout;
import dev.vsa.core.splat.SplatReader;
import dev.vsa.core.splat.SplatWriter;
import dev.vsa.core.splat.WriteOptions;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Niantic SPZ (nianticlabs/spz): reads versions 1 to 4, writes 3 (gzip) and 4 (zstd). Registered in
 * {@link dev.vsa.core.format.Codecs}; use {@link dev.vsa.core.splat.Splats} rather than this class.
 */
public final class SpzCodec implements SplatCodec {
    /** Creates the codec (stateless). */
    public SpzCodec() {
    }

    @Override
    public SplatFormat format() {
        return SplatFormat.SPZ;
    }

    /**
     * {@code BY_CONTENT} for a v4 file or a raw payload ("NGSP") and for a gzip stream whose first inflated bytes
     * are "NGSP"; {@code BY_NAME} for another file named {@code *.spz}.
     */
    @Override
    public Match sniff(ByteBuffer head, long fileSize, String fileName) {
        ByteBuffer h = head.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int p = h.position();
        if (h.remaining() >= 4 && h.getInt(p) == SpzReader.MAGIC) {
            return Match.BY_CONTENT;
        }
        if (h.remaining() >= 18 && (h.get(p) & 0xff) == 0x1f && (h.get(p + 1) & 0xff) == 0x8b && inflatesToNgsp(h)) {
            return Match.BY_CONTENT;
        }
        return fileName.toLowerCase(Locale.ROOT).endsWith(".spz") ? Match.BY_NAME : Match.NO;
    }

    private static boolean inflatesToNgsp(ByteBuffer h) {
        byte[] in = new byte[h.remaining()];
        h.get(h.position(), in);
        int flags = in[3] & 0xff;
        int pos = 10;
        try {
            if ((flags & 4) != 0) {
                pos += 2 + ((in[pos] & 0xff) | ((in[pos + 1] & 0xff) << 8));
            }
            for (int f : new int[] {8, 16}) {
                if ((flags & f) != 0) {
                    while (in[pos++] != 0) {
                        // skip name or comment
                    }
                }
            }
            if ((flags & 2) != 0) {
                pos += 2;
            }
            if (pos >= in.length) {
                return false;
            }
        } catch (ArrayIndexOutOfBoundsException e) {
            return false;
        }
        Inflater inf = new Inflater(true);
        try {
            inf.setInput(in, pos, in.length - pos);
            byte[] out = new byte[4];
            int n = inf.inflate(out);
            return n == 4 && ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).getInt() == SpzReader.MAGIC;
        } catch (DataFormatException e) {
            return false;
        } finally {
            inf.end();
        }
    }

    @Override
    public SplatReader openReader(Path path) throws IOException {
        return inRdf(SpzReader.open(path, 0));
    }

    /**
     * Opens SPZ data held in {@code [offset, offset + length)} of a channel the caller keeps open (a glTF buffer
     * view), read in place: nothing is copied, and closing the reader leaves the channel open. The container may
     * pad the data (to 4 bytes): up to {@code padding} bytes of any value after it are ignored, as the SPZ library
     * (which stops at the end of the gzip stream) and so CesiumJS ignore them; more are {@code SPZ_TRAILING_DATA}.
     * {@code countCheck} is given the header's splat count before any of the payload is inflated or decompressed,
     * and refuses it by throwing.
     *
     * @param padding 0 to 3
     * @param name    what the data is called in messages
     */
    public SplatReader openRegion(java.nio.channels.FileChannel channel, long offset, long length, int padding,
                                  String name, java.util.function.LongConsumer countCheck) throws IOException {
        if (padding < 0 || padding > 3) {
            throw new IllegalArgumentException("padding " + padding + " (0 to 3)");
        }
        return inRdf(SpzReader.open(channel, offset, length, padding, name, countCheck));
    }

    private static SplatReader inRdf(SpzReader r) throws IOException {
        String rotated = r.rotatedFrame();
        if (rotated == null) {
            return r;
        }
        // y and z swapped: a permutation, not a sign change; the transform step rotates positions, splats and SH
        return dev.vsa.core.transform.Transforms.apply(r, java.util.List.of(
                new dev.vsa.core.transform.Transform.Frame(rotated, "RDF")), null);
    }

    /** Writes SPZ version {@code options.spzVersion()} (3 or 4); the layout's extras are not stored. */
    @Override
    public SplatWriter openWriter(Path path, SplatLayout layout, WriteOptions options) throws IOException {
        return new SpzWriter(path, layout, options.spzVersion(), options.frame());
    }
}
