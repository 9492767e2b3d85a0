package dev.vsa.core.format.spz;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;

/** The zstd-jni calls, in a class of their own so that nothing loads it unless {@link NativeZstd#AVAILABLE}. */
final class ZstdJni {
    private ZstdJni() {
    }

    /** One whole frame of {@code b[off, off + len)} at {@code level} (its header records the content size). */
    static byte[] compress(byte[] b, int off, int len, int level) {
        try (ZstdCompressCtx ctx = new ZstdCompressCtx()) {
            ctx.setLevel(level);
            byte[] out = new byte[(int) Zstd.compressBound(len)];
            int n = ctx.compressByteArray(out, 0, out.length, b, off, len);
            return Arrays.copyOf(out, n);
        }
    }

    /** A zstd stream at {@code level} writing one frame into {@code sink}; closing it closes the sink. */
    static OutputStream open(OutputStream sink, int level) throws IOException {
        return new ZstdOutputStreamNoFinalizer(sink, level);
    }

    /** The bytes of the zstd frame {@code source} holds (corrupt data: {@link IOException}s from zstd-jni). */
    static InputStream inflate(InputStream source) throws IOException {
        return new ZstdInputStreamNoFinalizer(source);
    }
}
