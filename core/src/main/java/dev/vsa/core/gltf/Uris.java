package dev.vsa.core.gltf;

import dev.vsa.core.error.ErrorCode;
import dev.vsa.core.error.MalformedInputException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.regex.Pattern;

/** glTF URIs: data URIs, and relative references resolved strictly inside the glTF's own folder. */
final class Uris {
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");

    private Uris() {
    }

    static boolean isDataUri(String uri) {
        return uri.regionMatches(true, 0, "data:", 0, 5);
    }

    /** The media type of a data URI ({@code image/png}), or null if it names none. */
    static String dataUriMediaType(String uri) {
        int comma = uri.indexOf(',');
        String meta = comma < 0 ? uri.substring(5) : uri.substring(5, comma);
        int semi = meta.indexOf(';');
        String type = semi < 0 ? meta : meta.substring(0, semi);
        return type.isEmpty() ? null : type;
    }

    /**
     * Decodes a base64 data URI.
     *
     * @throws MalformedInputException {@code GLTF_BAD_REFERENCE} if it is not base64 or malformed
     */
    static byte[] decodeDataUri(String uri, String pointer) {
        int comma = uri.indexOf(',');
        if (comma < 0) {
            throw new MalformedInputException(ErrorCode.GLTF_BAD_REFERENCE, pointer, "the data URI has no ','");
        }
        if (!uri.substring(0, comma).toLowerCase(java.util.Locale.ROOT).endsWith(";base64")) {
            // RFC 2397 without ;base64: the data is percent-encoded octets
            return percentDecodeBytes(uri.substring(comma + 1).getBytes(StandardCharsets.UTF_8));
        }
        try {
            return Base64.getDecoder().decode(uri.substring(comma + 1));
        } catch (IllegalArgumentException e) {
            throw new MalformedInputException(ErrorCode.GLTF_BAD_REFERENCE, pointer,
                    "the data URI's base64 is malformed: " + e.getMessage(), e);
        }
    }

    /**
     * The file a relative URI names, inside {@code folder}.
     *
     * @throws MalformedInputException {@code GLTF_URI_REJECTED} for an absolute URI, a URI with a scheme, a
     *                                 {@code ..} segment or one that leaves the folder through a link;
     *                                 {@code GLTF_BAD_REFERENCE} if the file does not exist
     */
    static Path resolve(Path folder, String uri, String pointer) throws IOException {
        if (SCHEME.matcher(uri).find()) {
            throw rejected(uri, pointer, "has a scheme");
        }
        String decoded = percentDecode(uri);
        int cut = indexOfAny(decoded, '?', '#');
        if (cut >= 0) {
            decoded = decoded.substring(0, cut);
        }
        if (decoded.startsWith("/") || decoded.startsWith("\\") || decoded.indexOf('\0') >= 0 || decoded.isEmpty()) {
            throw rejected(uri, pointer, "is absolute or empty");
        }
        Path rel;
        try {
            rel = Path.of(decoded);
        } catch (InvalidPathException e) {
            throw rejected(uri, pointer, "is not a valid file name");
        }
        if (rel.isAbsolute() || rel.getRoot() != null) {
            throw rejected(uri, pointer, "is absolute");
        }
        for (String segment : decoded.split("[/\\\\]")) {
            if (segment.equals("..")) {
                throw rejected(uri, pointer, "leads out of the glTF's folder");
            }
        }
        Path base = folder.toAbsolutePath().normalize();
        Path target = base.resolve(rel).normalize();
        if (!target.startsWith(base)) {
            throw rejected(uri, pointer, "leads out of the glTF's folder");
        }
        if (!Files.isRegularFile(target)) {
            throw new MalformedInputException(ErrorCode.GLTF_BAD_REFERENCE, pointer,
                    "the file '" + uri + "' does not exist beside the glTF");
        }
        if (!target.toRealPath().startsWith(base.toRealPath())) {
            throw rejected(uri, pointer, "is a link leading out of the glTF's folder");
        }
        return target;
    }

    private static MalformedInputException rejected(String uri, String pointer, String why) {
        return new MalformedInputException(ErrorCode.GLTF_URI_REJECTED, pointer,
                "the URI '" + uri + "' " + why + "; vsa only reads files inside the glTF's folder");
    }

    private static int indexOfAny(String s, char a, char b) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == a || s.charAt(i) == b) {
                return i;
            }
        }
        return -1;
    }

    // Works on the UTF-8 bytes: '%' and hex digits are ASCII, so multi-byte characters pass through intact.
    private static String percentDecode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        return new String(percentDecodeBytes(s.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    private static byte[] percentDecodeBytes(byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '%' && i + 2 < in.length && hex((char) in[i + 1]) >= 0 && hex((char) in[i + 2]) >= 0) {
                out.write(hex((char) in[i + 1]) * 16 + hex((char) in[i + 2]));
                i += 2;
            } else {
                out.write(in[i]);
            }
        }
        return out.toByteArray();
    }

    /** A file name as a relative URI: every byte outside RFC 3986's unreserved set is percent-encoded. */
    static String encodeFileName(String name) {
        StringBuilder sb = new StringBuilder();
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return sb.toString();
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }
}
