package dev.vsa.core.gltf;

import dev.vsa.core.error.ErrorCode;
import dev.vsa.core.error.MalformedInputException;
import dev.vsa.core.gltf.resource.GltfUris;

import java.io.IOException;
import java.nio.file.Path;

/** The glTF readers' view of {@link GltfUris}: a refusal or a malformed data URI is a {@link MalformedInputException}. */
final class Uris {
    private Uris() {
    }

    /**
     * Decodes a data URI.
     *
     * @throws MalformedInputException {@code GLTF_BAD_REFERENCE} if it is malformed
     */
    static byte[] decodeDataUri(String uri, String pointer) {
        try {
            return GltfUris.parseDataUri(uri).bytes();
        } catch (GltfUris.BadDataUri e) {
            throw new MalformedInputException(ErrorCode.GLTF_BAD_REFERENCE, pointer, "the data URI is malformed: "
                    + e.getMessage());
        }
    }

    /**
     * The file a relative URI names, inside {@code folder}.
     *
     * @throws MalformedInputException {@code GLTF_URI_REJECTED} for an absolute URI, a URI with a scheme, one that
     *                                 leaves the folder (also through a link); {@code GLTF_BAD_REFERENCE} if the
     *                                 file does not exist
     */
    static Path resolve(Path folder, String uri, String pointer) throws IOException {
        GltfUris.Resolved r = GltfUris.resolve(folder, uri);
        if (r.refusal() == null) {
            return r.file();
        }
        if (r.refusal() == GltfUris.Refusal.MISSING) {
            throw new MalformedInputException(ErrorCode.GLTF_BAD_REFERENCE, pointer,
                    "the file '" + uri + "' does not exist beside the glTF");
        }
        throw new MalformedInputException(ErrorCode.GLTF_URI_REJECTED, pointer, "the URI '" + uri + "' "
                + r.refusal().why() + "; vsa only reads files inside the glTF's folder");
    }
}
