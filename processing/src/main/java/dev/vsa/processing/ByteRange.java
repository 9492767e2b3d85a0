package dev.vsa.processing;

/**
 * Part of a file: {@code length} bytes from {@code offset}; length -1 means to the end.
 * (An HTTP suffix range {@code bytes=-N} is resolved by the caller against the size in {@link FileDownload}.)
 */
public record ByteRange(long offset, long length) {
    /** The whole file. */
    public static final ByteRange ALL = new ByteRange(0, -1);

    /** @throws IllegalArgumentException if {@code offset < 0} or {@code length < -1} */
    public ByteRange {
        if (offset < 0 || length < -1) {
            throw new IllegalArgumentException("bad range: offset " + offset + ", length " + length);
        }
    }
}
