package dev.vsa.core.splat;

/**
 * What a reader learned from a file's header before reading any splat.
 *
 * @param format  the format, detected by content
 * @param version format version where the format has one (SPZ 2/3/4, ksplat major); 0 otherwise
 * @param variant a detail worth showing, e.g. {@code "binary_little_endian"}, {@code "gzip"}; may be empty
 * @param count   number of splats the header declares
 * @param layout  the layout rows are read in
 * @param fileSize size of the file in bytes
 */
public record SplatFileInfo(SplatFormat format, int version, String variant, long count, SplatLayout layout,
                            long fileSize) {
}
