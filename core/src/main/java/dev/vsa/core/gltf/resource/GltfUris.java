package dev.vsa.core.gltf.resource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * glTF URIs: data URIs (RFC 2397) and relative references, resolved strictly inside the asset's own folder: no
 * scheme, no absolute path, nothing that leaves the folder after {@code ..} is applied or a symbolic link is
 * followed. The one resolver every glTF reader uses: the validator reports a {@link Refusal} as an issue, the
 * readers (convert, inspect, splats, render) take {@link #file} and {@link #dataUriBytes}, which throw it with one
 * code per refusal.
 *
 * <pre>{@code
 * GltfUris.Resolved r = GltfUris.resolve(folder, "textures/a%20b.png");
 * if (r.refusal() == null) read(r.file());
 * }</pre>
 */
public final class GltfUris {
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");

    private GltfUris() {
    }

    /** Why a URI is not read. */
    public enum Refusal {
        /** {@code https:}, {@code file:} and other schemes. */
        SCHEME("has a scheme"),
        /** Starts at a root ({@code /etc/passwd}). */
        ABSOLUTE("is absolute"),
        /** Malformed percent-encoding, a NUL, an empty path, or a name the file system rejects. */
        INVALID("is not a valid relative file name"),
        /** Leaves the folder through {@code ..}. */
        OUTSIDE("leads out of the asset's folder"),
        /** A symbolic link (of the file or a folder on the way) leads out of the asset's folder. */
        LINK_OUTSIDE("is a link leading out of the asset's folder"),
        /** No regular file of that name inside the folder. */
        MISSING("names no file beside the asset");

        private final String why;

        Refusal(String why) {
            this.why = why;
        }

        /** What is wrong, to follow "the URI 'x' ". */
        public String why() {
            return why;
        }
    }

    /** The file a URI names, or why it is not read (then {@code file} is null). */
    public record Resolved(Path file, Refusal refusal) {
    }

    /** A decoded data URI. */
    public record DataUri(String mimeType, byte[] bytes) {
    }

    /** A data URI whose header or content is malformed; the message is in the Khronos validator's words. */
    public static final class BadDataUri extends Exception {
        private static final long serialVersionUID = 1L;

        BadDataUri(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The bytes of a data URI, for a reader.
     *
     * @param pointer where the URI stands in the JSON, or null
     * @throws dev.vsa.core.error.MalformedInputException {@code GLTF_BAD_REFERENCE} if it is malformed
     */
    public static byte[] dataUriBytes(String uri, String pointer) {
        try {
            return parseDataUri(uri).bytes();
        } catch (BadDataUri e) {
            throw new dev.vsa.core.error.MalformedInputException(dev.vsa.core.error.ErrorCode.GLTF_BAD_REFERENCE,
                    pointer, "the data URI is malformed: " + e.getMessage());
        }
    }

    /**
     * The file a relative URI names inside {@code folder}, for a reader ({@link #resolve}, refusals thrown).
     *
     * @param pointer where the URI stands in the JSON, or null
     * @throws dev.vsa.core.error.MalformedInputException {@code GLTF_BAD_REFERENCE} if no such file is there;
     *                                                    {@code GLTF_URI_REJECTED} for any other refusal
     */
    public static Path file(Path folder, String uri, String pointer) throws IOException {
        Resolved r = resolve(folder, uri);
        if (r.refusal() == null) {
            return r.file();
        }
        if (r.refusal() == Refusal.MISSING) {
            throw new dev.vsa.core.error.MalformedInputException(dev.vsa.core.error.ErrorCode.GLTF_BAD_REFERENCE,
                    pointer, "the file '" + uri + "' does not exist beside the glTF");
        }
        throw new dev.vsa.core.error.MalformedInputException(dev.vsa.core.error.ErrorCode.GLTF_URI_REJECTED, pointer,
                "the URI '" + uri + "' " + r.refusal().why() + "; vsa only reads files inside the glTF's folder");
    }

    /** Whether {@code uri} is a data URI (case-insensitive {@code data:}). */
    public static boolean isDataUri(String uri) {
        return uri.length() >= 5 && uri.regionMatches(true, 0, "data:", 0, 5);
    }

    /** Whether {@code uri} starts with a scheme ({@code name:}). */
    public static boolean hasScheme(String uri) {
        return SCHEME.matcher(uri).find();
    }

    /** The media type a data URI names ({@code image/png}), without decoding it; null if it names none. */
    public static String dataUriMediaType(String uri) {
        int comma = uri.indexOf(',');
        String meta = comma < 0 ? uri.substring(5) : uri.substring(5, comma);
        int semi = meta.indexOf(';');
        String type = semi < 0 ? meta : meta.substring(0, semi);
        return type.isEmpty() ? null : type;
    }

    /**
     * Decodes {@code uri} if it is a data URI: base64 when it says {@code ;base64}, else percent-encoded octets.
     * A missing media type is {@code text/plain}.
     *
     * @return the decoded URI, or null if {@code uri} is not a data URI
     * @throws BadDataUri if it is a malformed data URI
     */
    public static DataUri parseDataUri(String uri) throws BadDataUri {
        if (!isDataUri(uri)) {
            return null;
        }
        int comma = uri.indexOf(',');
        if (comma < 0) {
            throw new BadDataUri("FormatException: Expecting ','");
        }
        String header = uri.substring(5, comma);
        String[] parts = header.split(";", -1);
        String mime = parts[0].isEmpty() ? "text/plain" : parts[0];
        boolean base64 = false;
        for (int i = 1; i < parts.length; i++) {
            if (i == parts.length - 1 && parts[i].equalsIgnoreCase("base64")) {
                base64 = true;
            } else if (parts[i].indexOf('=') <= 0) {
                throw new BadDataUri("FormatException: Expecting '=' (at character " + (5 + header.indexOf(';') + 2) + ")");
            }
        }
        String payload = uri.substring(comma + 1);
        if (base64) {
            try {
                return new DataUri(mime, Base64.getDecoder().decode(payload.trim()));
            } catch (IllegalArgumentException e) {
                throw new BadDataUri("FormatException: Invalid base64 data");
            }
        }
        byte[] b = percentDecode(payload);
        if (b == null) {
            throw new BadDataUri("FormatException: Invalid percent escape");
        }
        return new DataUri(mime, b);
    }

    /**
     * The file a relative URI names inside {@code folder}. The query and fragment are dropped, percent-escapes
     * decoded; {@code ..} segments are allowed while they stay inside; the file must exist and, with every link
     * followed, still lie inside the folder's real path.
     *
     * @throws IOException if the file system cannot be asked
     */
    public static Resolved resolve(Path folder, String uri) throws IOException {
        if (hasScheme(uri)) {
            return refused(Refusal.SCHEME);
        }
        byte[] decodedBytes = percentDecode(stripQuery(uri));
        if (decodedBytes == null) {
            return refused(Refusal.INVALID);
        }
        String decoded = new String(decodedBytes, StandardCharsets.UTF_8);
        if (decoded.startsWith("/") || decoded.startsWith("\\")) {
            return refused(Refusal.ABSOLUTE);
        }
        if (decoded.isEmpty() || decoded.indexOf('\0') >= 0) {
            return refused(Refusal.INVALID);
        }
        Path rel;
        try {
            rel = Path.of(decoded);
        } catch (InvalidPathException e) {
            return refused(Refusal.INVALID);
        }
        if (rel.isAbsolute() || rel.getRoot() != null) {
            return refused(Refusal.ABSOLUTE);
        }
        Path base = folder.toAbsolutePath().normalize();
        Path target = base.resolve(rel).normalize();
        if (!target.startsWith(base) || target.equals(base)) {
            return refused(Refusal.OUTSIDE);
        }
        if (!Files.isRegularFile(target)) {
            return refused(Refusal.MISSING);
        }
        if (!target.toRealPath().startsWith(base.toRealPath())) {
            return refused(Refusal.LINK_OUTSIDE);
        }
        return new Resolved(target, null);
    }

    private static Resolved refused(Refusal why) {
        return new Resolved(null, why);
    }

    private static String stripQuery(String uri) {
        for (int i = 0; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c == '?' || c == '#') {
                return uri.substring(0, i);
            }
        }
        return uri;
    }

    /**
     * Percent-decodes the UTF-8 bytes of {@code s} ({@code '%'} and hex digits are ASCII, so multi-byte characters
     * pass through intact).
     *
     * @return the bytes, or null if an escape is malformed
     */
    public static byte[] percentDecode(String s) {
        byte[] raw = s.getBytes(StandardCharsets.UTF_8);
        if (s.indexOf('%') < 0) {
            return raw;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length);
        for (int i = 0; i < raw.length; i++) {
            byte b = raw[i];
            if (b == '%') {
                if (i + 2 >= raw.length) {
                    return null;
                }
                int hi = Character.digit(raw[i + 1], 16);
                int lo = Character.digit(raw[i + 2], 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                out.write(hi * 16 + lo);
                i += 2;
            } else {
                out.write(b);
            }
        }
        return out.toByteArray();
    }

    /** A file name as a relative URI: every byte outside RFC 3986's unreserved set is percent-encoded. */
    public static String encodeFileName(String name) {
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
}
