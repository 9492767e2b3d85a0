package dev.vsa.core.validate.gltf;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Pattern;

/** Data URIs and relative URIs: parsing, checks and safe resolution next to the asset. */
final class Uris {
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");

    private Uris() {
    }

    /** A parsed data URI; {@code bytes} is null if the content is not valid. */
    record DataUri(String mimeType, byte[] bytes) {
    }

    /** Marker for a data URI whose header is malformed. */
    static final class BadDataUri extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadDataUri(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Parses {@code uri} if it is a data URI; null if it is not one.
     *
     * @throws BadDataUri if it is a malformed data URI
     */
    static DataUri parseDataUriStrict(String uri) {
        if (uri.length() < 5 || !uri.regionMatches(true, 0, "data:", 0, 5)) {
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

    /** As {@link #parseDataUriStrict} but a malformed data URI gives a DataUri with null bytes. */
    static DataUri parseDataUri(String uri) {
        try {
            return parseDataUriStrict(uri);
        } catch (BadDataUri e) {
            return null;
        }
    }

    static String abbreviate(String uri) {
        return uri.length() > 256 ? uri.substring(0, 256) + "..." : uri;
    }

    /**
     * Checks a non-data URI as the Khronos validator does: INVALID_URI if it cannot be parsed (also a malformed
     * data URI), NON_RELATIVE_URI for an absolute one. Returns the URI if it may be loaded, else null.
     */
    static String check(String uri, Ctx ctx) {
        if (uri.length() >= 5 && uri.regionMatches(true, 0, "data:", 0, 5)) {
            try {
                parseDataUriStrict(uri);
            } catch (BadDataUri e) {
                ctx.issue(GltfIssue.INVALID_URI, "uri", abbreviate(uri), e.getMessage());
            }
            return null;
        }
        int colon = uri.indexOf(':');
        int slash = firstOf(uri, "/?#");
        if (colon >= 0 && (slash < 0 || colon < slash)) {
            if (colon == 0 || !SCHEME.matcher(uri).find()) {
                ctx.issue(GltfIssue.INVALID_URI, "uri", uri, "FormatException: Invalid empty scheme (at character 1)");
                return null;
            }
            ctx.issue(GltfIssue.NON_RELATIVE_URI, "uri", uri);
            return null;
        }
        if (uri.startsWith("/") || uri.startsWith("\\")) {
            ctx.issue(GltfIssue.NON_RELATIVE_URI, "uri", uri);
            return null;
        }
        if (percentDecode(stripQuery(uri)) == null) {
            ctx.issue(GltfIssue.INVALID_URI, "uri", uri, "FormatException: Invalid URL encoding");
            return null;
        }
        return uri;
    }

    private static int firstOf(String s, String chars) {
        int r = -1;
        for (char c : chars.toCharArray()) {
            int i = s.indexOf(c);
            if (i >= 0 && (r < 0 || i < r)) {
                r = i;
            }
        }
        return r;
    }

    private static String stripQuery(String uri) {
        int q = firstOf(uri, "?#");
        return q < 0 ? uri : uri.substring(0, q);
    }

    /**
     * The file a relative URI names, or null if it would leave {@code folder} (after normalising {@code ..} and
     * following symbolic links).
     */
    static Path resolve(Path folder, String uri) {
        byte[] decoded = percentDecode(stripQuery(uri));
        if (decoded == null) {
            return null;
        }
        String path = new String(decoded, StandardCharsets.UTF_8);
        if (path.indexOf('\0') >= 0) {
            return null;
        }
        try {
            Path base = folder.toAbsolutePath().normalize();
            Path p = base.resolve(path).normalize();
            if (!p.startsWith(base)) {
                return null;
            }
            if (Files.exists(p)) {
                Path realBase = base.toRealPath();
                if (!p.toRealPath().startsWith(realBase)) {
                    return null;
                }
            }
            return p;
        } catch (java.nio.file.InvalidPathException | java.io.IOException e) {
            return null;
        }
    }

    static byte[] percentDecode(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        byte[] raw = s.getBytes(StandardCharsets.UTF_8);
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

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
