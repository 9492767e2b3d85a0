package dev.vsa.core.format.spz;

import com.github.luben.zstd.EndDirective;
import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/** The zstd-jni calls, in a class of their own so that nothing loads it unless {@link NativeZstd#AVAILABLE}. */
final class ZstdJni {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private ZstdJni() {
    }

    /** One whole frame of {@code b[off, off + len)} at {@code level} (its header records the content size). */
    static byte[] compress(byte[] b, int off, int len, int level) {
        try (ZstdCompressCtx ctx = new ZstdCompressCtx()) {
            ctx.setLevel(level);
            byte[] out = new byte[(int) Zstd.compressBound(len)];
            int n = ctx.compressByteArray(out, 0, out.length, b, off, len);
            return java.util.Arrays.copyOf(out, n);
        }
    }

    /** A zstd stream at {@code level} writing one frame into {@code sink}; closing it ends the frame, not the sink. */
    static OutputStream open(OutputStream sink, int level) {
        ZstdCompressCtx ctx = new ZstdCompressCtx();
        ctx.setLevel(level);
        ByteBuffer out = ByteBuffer.allocate(1 << 17);
        return new OutputStream() {
            private boolean closed;

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                ByteBuffer src = ByteBuffer.wrap(b, off, len);
                while (src.hasRemaining()) {
                    ctx.compressByteBufferStream(out, src, EndDirective.CONTINUE);
                    drain();
                }
            }

            private void drain() throws IOException {
                if (out.position() > 0) {
                    sink.write(out.array(), 0, out.position());
                    out.clear();
                }
            }

            @Override
            public void close() throws IOException {
                if (closed) {
                    return;
                }
                closed = true;
                try {
                    boolean done;
                    do {
                        done = ctx.compressByteBufferStream(out, EMPTY, EndDirective.END);
                        drain();
                    } while (!done);
                } finally {
                    ctx.close();
                }
            }
        };
    }
}
