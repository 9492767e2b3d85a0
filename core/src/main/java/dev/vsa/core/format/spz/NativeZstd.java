package dev.vsa.core.format.spz;

/**
 * zstd-jni, when the application has it on the class path and its native library loads on this platform.
 * aircompressor (pure Java, always there) compresses at a fixed level 3; on quantized splat columns zstd level 5
 * is about 1% smaller, which is what keeps vsa's SPZ v4 files no larger than those of the reference writer
 * (level 12). This class names no zstd-jni type the verifier would have to load; {@link ZstdJni} does, and is
 * loaded only when {@link #AVAILABLE} is true.
 */
final class NativeZstd {
    /** Level used for SPZ columns: on 1M-splat SH3 data as small as level 12, at a tenth of its time. */
    static final int LEVEL = 5;
    /** Whether zstd-jni can be used; false where it is absent or has no native library for this platform. */
    static final boolean AVAILABLE = probe();

    private NativeZstd() {
    }

    private static boolean probe() {
        if (Boolean.getBoolean("vsa.zstd.pureJava")) {
            return false;
        }
        try {
            Class.forName("com.github.luben.zstd.Zstd");
            com.github.luben.zstd.util.Native.load();
            return com.github.luben.zstd.util.Native.isLoaded();
        } catch (Throwable e) { // absent jar (NoClassDefFoundError) or no native library (UnsatisfiedLinkError)
            return false;
        }
    }
}
