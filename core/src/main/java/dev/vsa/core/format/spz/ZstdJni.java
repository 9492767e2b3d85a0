package dev.vsa.core.format.spz;

import java.io.IOException;
import java.io.OutputStream;

/** The zstd-jni calls, in a class of their own so that nothing loads it unless {@link NativeZstd#AVAILABLE}. */
final class ZstdJni {
    private ZstdJni() {
    }

    /** A zstd stream at {@link NativeZstd#LEVEL} writing one frame into {@code sink}; closing it closes the sink. */
    static OutputStream open(OutputStream sink) throws IOException {
        return new com.github.luben.zstd.ZstdOutputStreamNoFinalizer(sink, NativeZstd.LEVEL);
    }
}
