package dev.vsa.core.error;

/**
 * Stable codes for bad input. Codes never change meaning once released; new ones are added at the end of
 * their group. The CLI maps any of them to exit code 1, the server to an RFC 9457 problem type
 * {@code https://vsa.dev/problems/<code lower-case>}. Documented in {@code docs/error-codes.md}.
 */
public enum ErrorCode {
    // Any format
    UNKNOWN_FORMAT("The content is not a format vsa reads."),
    EMPTY_FILE("The file is empty."),
    TRUNCATED("The file ends before the data its header promises."),
    LIMIT_EXCEEDED("A count or length is larger than vsa accepts or than the file can hold."),
    UNSUPPORTED_FEATURE("A valid feature vsa does not support."),

    // PLY (3DGS and PlayCanvas compressed)
    PLY_BAD_MAGIC("The file does not start with 'ply'."),
    PLY_BAD_HEADER("The PLY header is malformed."),
    PLY_UNSUPPORTED_FORMAT("Unknown PLY format line (not ascii, binary_little_endian or binary_big_endian)."),
    PLY_MISSING_PROPERTY("A property a Gaussian splat needs is missing."),
    PLY_BAD_PROPERTY_TYPE("A property has a type vsa cannot read there."),
    PLY_TRUNCATED("The PLY body is shorter than its header says."),
    PLY_BAD_VALUE("A value in the PLY body cannot be parsed."),
    PLY_BAD_SH_LAYOUT("The f_rest_* properties do not form whole SH degrees."),
    PLY_COMPRESSED_BAD_CHUNKS("The compressed PLY's chunk element does not match its vertex element."),

    // antimatter15 .splat
    SPLAT_BAD_LENGTH("A .splat file's length is not a multiple of 32 bytes."),

    // Niantic SPZ
    SPZ_BAD_MAGIC("The SPZ payload does not start with 'NGSP'."),
    SPZ_UNSUPPORTED_VERSION("The SPZ version is not one vsa reads."),
    SPZ_BAD_HEADER("An SPZ header field is out of range."),
    SPZ_TRUNCATED("The SPZ payload is shorter than its header says."),
    SPZ_TRAILING_DATA("The SPZ payload is longer than its header says."),
    SPZ_BAD_COMPRESSION("The SPZ's gzip or zstd stream is corrupt."),

    // mkkellogg .ksplat
    KSPLAT_BAD_HEADER("The .ksplat header is malformed or names an unknown version."),
    KSPLAT_TRUNCATED("The .ksplat file is shorter than its sections say."),

    // PlayCanvas SOG (meta.json + WebP images, bundled in a zip as .sog)
    SOG_BAD_META("The SOG meta.json is malformed, names an unknown version or disagrees with its images."),
    SOG_BAD_IMAGE("A SOG image is missing, not a WebP image, or of the wrong size."),
    SOG_BAD_ARCHIVE("The .sog zip archive is corrupt, or its entries exceed vsa's limits."),

    // glTF / GLB holding KHR_gaussian_splatting
    GLTF_BAD_JSON("The glTF JSON cannot be parsed."),
    GLB_BAD_HEADER("The GLB header, version or chunk structure is invalid."),
    GLTF_NO_SPLATS("The glTF holds no primitive with KHR_gaussian_splatting."),
    GLTF_BAD_SPLAT_ATTRIBUTE("A KHR_gaussian_splatting attribute is missing, of the wrong type or count."),
    GLTF_BAD_REFERENCE("An index or URI in the glTF points at nothing usable."),
    GLTF_URI_REJECTED("An external URI is absolute, has a scheme, or leads outside the glTF's folder."),

    // Values
    NON_FINITE_VALUES("The data holds NaN or infinite values where finite ones are needed.");

    private final String summary;

    ErrorCode(String summary) {
        this.summary = summary;
    }

    /** One sentence saying what the code means, for docs and {@code --help}. */
    public String summary() {
        return summary;
    }
}
