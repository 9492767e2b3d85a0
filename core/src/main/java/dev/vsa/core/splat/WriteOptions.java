package dev.vsa.core.splat;

/**
 * Format-specific choices for writing. Unused fields are ignored by formats they do not concern.
 *
 * @param spzVersion SPZ version to write: 3 (gzip) or 4 (zstd, the default)
 */
public record WriteOptions(int spzVersion) {
    /** The defaults: SPZ v4. */
    public static final WriteOptions DEFAULTS = new WriteOptions(4);

    /** @throws IllegalArgumentException if {@code spzVersion} is not 3 or 4 */
    public WriteOptions {
        if (spzVersion != 3 && spzVersion != 4) {
            throw new IllegalArgumentException("spzVersion must be 3 or 4, was " + spzVersion);
        }
    }
}
