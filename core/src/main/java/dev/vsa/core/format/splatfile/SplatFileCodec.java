package dev.vsa.core.format.splatfile;

import dev.vsa.core.error.ErrorCode;
import dev.vsa.core.error.MalformedInputException;
import dev.vsa.core.format.ChannelIo;
import dev.vsa.core.format.SplatCodec;
import dev.vsa.core.splat.SplatBatch;
import dev.vsa.core.splat.SplatFileInfo;
import dev.vsa.core.splat.SplatFormat;
import dev.vsa.core.splat.SplatLayout;
import dev.vsa.core.splat.SplatReader;
import dev.vsa.core.splat.SplatWriter;
import dev.vsa.core.splat.WriteOptions;
import dev.vsa.core.format.util.BatchChecks;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * antimatter15 {@code .splat} (antimatter15/splat): no header, 32 bytes a splat, little-endian: position
 * f32x3, linear scale f32x3 (exp of the model's log-scale), RGBA u8x4 (rgb = 0.5 + C0 * f_dc, a =
 * sigmoid(opacity), each times 255), rotation u8x4 w x y z as q * 128 + 128. No SH, no extras: writing drops
 * them. Recognised by the {@code .splat} name; a length that is not a multiple of 32 is SPLAT_BAD_LENGTH.
 *
 * <p>Reading: colour and alpha are byte / 255; alpha is clamped to [1e-6, 1 - 1e-6] before the logit (as
 * splat-transform does) so opacity stays finite; the rotation (byte - 128) / 128 is normalized (all-128
 * becomes the identity). Writing rounds to the nearest byte, so a read-write cycle keeps colour and alpha bytes.
 */
public final class SplatFileCodec implements SplatCodec {
    static final int ROW = 32;
    static final double SH_C0 = 0.28209479177387814;
    private static final VarHandle F32 = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int IO_ROWS = 1 << 15;

    /** Creates the codec (stateless). */
    public SplatFileCodec() {
    }

    @Override
    public SplatFormat format() {
        return SplatFormat.SPLAT;
    }

    @Override
    public Match sniff(ByteBuffer head, long fileSize, String fileName) {
        return fileName.toLowerCase(Locale.ROOT).endsWith(".splat") ? Match.BY_NAME : Match.NO;
    }

    @Override
    public SplatReader openReader(Path path) throws IOException {
        return ChannelIo.openReading(path, ch -> {
            long size = ch.size();
            if (size % ROW != 0) {
                throw MalformedInputException.atByte(ErrorCode.SPLAT_BAD_LENGTH, size - size % ROW,
                        "the file is " + size + " bytes, not a multiple of 32 (" + (size % ROW) + " bytes left over)");
            }
            return new Reader(ch, new SplatFileInfo(SplatFormat.SPLAT, 0, "", size / ROW, SplatLayout.of(0), size));
        });
    }

    @Override
    public SplatWriter openWriter(Path path, SplatLayout layout, WriteOptions options) throws IOException {
        return new Writer(path, layout);
    }

    private static final class Reader implements SplatReader {
        private final FileChannel ch;
        private final SplatFileInfo info;
        private final byte[] io;
        private final int ioRows;
        private long done;

        Reader(FileChannel ch, SplatFileInfo info) {
            this.ch = ch;
            this.info = info;
            // no bigger than the file: a 1 MB buffer for a few KB would be a humongous allocation per open
            this.ioRows = (int) Math.max(1, Math.min(IO_ROWS, info.count()));
            this.io = new byte[ioRows * ROW];
        }

        @Override
        public SplatFileInfo info() {
            return info;
        }

        @Override
        public int read(SplatBatch batch) throws IOException {
            int rows = BatchChecks.rowsToRead(info.layout(), batch, info.count() - done);
            if (rows == 0) {
                return 0;
            }
            float[] out = batch.array();
            int stride = batch.stride();
            for (int r0 = 0; r0 < rows; r0 += ioRows) {
                int n = Math.min(ioRows, rows - r0);
                ChannelIo.readFully(ch, ByteBuffer.wrap(io, 0, n * ROW), (done + r0) * ROW, ErrorCode.TRUNCATED);
                for (int r = 0; r < n; r++) {
                    int s = r * ROW;
                    int o = (r0 + r) * stride;
                    out[o + SplatLayout.X] = (float) F32.get(io, s);
                    out[o + SplatLayout.Y] = (float) F32.get(io, s + 4);
                    out[o + SplatLayout.Z] = (float) F32.get(io, s + 8);
                    out[o + SplatLayout.SCALE_0] = (float) Math.log((float) F32.get(io, s + 12));
                    out[o + SplatLayout.SCALE_1] = (float) Math.log((float) F32.get(io, s + 16));
                    out[o + SplatLayout.SCALE_2] = (float) Math.log((float) F32.get(io, s + 20));
                    for (int c = 0; c < 3; c++) {
                        out[o + SplatLayout.DC_0 + c] = (float) (((io[s + 24 + c] & 0xFF) / 255.0 - 0.5) / SH_C0);
                    }
                    double a = Math.max(1e-6, Math.min(1 - 1e-6, (io[s + 27] & 0xFF) / 255.0));
                    out[o + SplatLayout.OPACITY] = (float) Math.log(a / (1 - a));
                    double w = ((io[s + 28] & 0xFF) - 128) / 128.0;
                    double x = ((io[s + 29] & 0xFF) - 128) / 128.0;
                    double y = ((io[s + 30] & 0xFF) - 128) / 128.0;
                    double z = ((io[s + 31] & 0xFF) - 128) / 128.0;
                    double len = Math.sqrt(w * w + x * x + y * y + z * z);
                    if (len == 0) {
                        w = 1;
                        len = 1;
                    }
                    out[o + SplatLayout.ROT_W] = (float) (w / len);
                    out[o + SplatLayout.ROT_X] = (float) (x / len);
                    out[o + SplatLayout.ROT_Y] = (float) (y / len);
                    out[o + SplatLayout.ROT_Z] = (float) (z / len);
                }
            }
            done += rows;
            batch.setSize(rows);
            return rows;
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }
    }

    private static final class Writer implements SplatWriter {
        private final Path path;
        private final SplatLayout layout;
        private final FileChannel ch;
        private final byte[] io = new byte[IO_ROWS * ROW];
        private boolean finished;
        private boolean closed;

        Writer(Path path, SplatLayout layout) throws IOException {
            this.path = path;
            this.layout = layout;
            this.ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
        }

        @Override
        public void write(SplatBatch batch) throws IOException {
            BatchChecks.checkWrite(finished || closed, layout, batch);
            float[] a = batch.array();
            int stride = batch.stride();
            int rows = batch.size();
            for (int r0 = 0; r0 < rows; r0 += IO_ROWS) {
                int n = Math.min(IO_ROWS, rows - r0);
                for (int r = 0; r < n; r++) {
                    int o = (r0 + r) * stride;
                    int d = r * ROW;
                    F32.set(io, d, a[o + SplatLayout.X]);
                    F32.set(io, d + 4, a[o + SplatLayout.Y]);
                    F32.set(io, d + 8, a[o + SplatLayout.Z]);
                    F32.set(io, d + 12, (float) Math.exp(a[o + SplatLayout.SCALE_0]));
                    F32.set(io, d + 16, (float) Math.exp(a[o + SplatLayout.SCALE_1]));
                    F32.set(io, d + 20, (float) Math.exp(a[o + SplatLayout.SCALE_2]));
                    for (int c = 0; c < 3; c++) {
                        io[d + 24 + c] = toByte((0.5 + SH_C0 * a[o + SplatLayout.DC_0 + c]) * 255);
                    }
                    io[d + 27] = toByte(255 / (1 + Math.exp(-a[o + SplatLayout.OPACITY])));
                    for (int c = 0; c < 4; c++) {
                        io[d + 28 + c] = toByte(a[o + SplatLayout.ROT_W + c] * 128.0 + 128);
                    }
                }
                ChannelIo.writeFully(ch, ByteBuffer.wrap(io, 0, n * ROW));
            }
        }

        private static byte toByte(double v) {
            double r = Math.rint(v);
            return (byte) (r > 0 ? Math.min(255, (int) r) : 0); // NaN -> 0
        }

        @Override
        public void finish() throws IOException {
            if (finished || closed) {
                throw new IllegalStateException("the writer is finished or closed");
            }
            finished = true;
            ch.close();
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            ch.close();
            if (!finished) {
                Files.deleteIfExists(path);
            }
        }
    }
}
