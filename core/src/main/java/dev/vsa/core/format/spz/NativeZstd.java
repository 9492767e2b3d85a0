package dev.vsa.core.format.spz;

/**
 * zstd-jni, when the application has it on the class path and its native library loads on this platform.
 * aircompressor (pure Java, always there) compresses at a fixed level 3. With zstd-jni each column gets
 * the level of {@link #STREAM_LEVELS} that makes its first 256 KiB smallest ({@link ColumnCompressor}): on
 * structured columns level 5 is about 1% smaller than 3; on noisy quantized SH level 1 is 5% smaller than 5 and ten
 * times faster. Columns of at most 256 KiB are compressed whole, and the reference writers' level 12 is tried
 * too (at that size it costs milliseconds). This class names no zstd-jni type the verifier would have to load; {@link ZstdJni} does, and is
 * loaded only when {@link #AVAILABLE} is true.
 */
final class NativeZstd {
    /** The strong candidate for SPZ columns: on structured data as small as level 12, at a tenth of its time. */
    static final int LEVEL = 5;
    /** The fast candidate: on noisy columns both the smallest and the quickest. */
    static final int FAST_LEVEL = 1;
    /** Levels tried on the first 256 KiB of a longer column, fastest first. */
    static final int[] STREAM_LEVELS = {FAST_LEVEL, LEVEL};
    /** Levels tried on a column of at most 256 KiB: also 12, the nianticlabs/spz and splat-transform level. */
    static final int[] SMALL_COLUMN_LEVELS = {FAST_LEVEL, LEVEL, 12};
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
