package dev.vsa.core.validate.gltf;

import dev.vsa.core.gltf.resource.GltfUris;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The validator's reporting on URIs (INVALID_URI, NON_RELATIVE_URI in the Khronos validator's words); parsing and
 * resolution are {@link GltfUris}'.
 */
final class Uris {
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");

    private Uris() {
    }

    /** A parsed data URI ({@link GltfUris#parseDataUri}); null if it is no data URI or a malformed one. */
    static GltfUris.DataUri parseDataUri(String uri) {
        try {
            return GltfUris.parseDataUri(uri);
        } catch (GltfUris.BadDataUri e) {
            return null;
        }
    }

    static String abbreviate(String uri) {
        return uri.length() > 256 ? uri.substring(0, 256) + "..." : uri;
    }

    /**
     * Checks a non-data URI as the Khronos validator does: INVALID_URI if it cannot be parsed (also a malformed
     * data URI), NON_RELATIVE_URI for an absolute one. Returns the URI if loading it is to be tried (absolute file
     * paths and {@code file:} URIs too: {@link Resources} refuses them with IO_ERROR), null if it is not loaded.
     */
    static String check(String uri, Ctx ctx) {
        if (uri.length() >= 5 && uri.regionMatches(true, 0, "data:", 0, 5)) {
            try {
                GltfUris.parseDataUri(uri);
            } catch (GltfUris.BadDataUri e) {
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
            // A file on this machine (file:, or a drive letter) would be read by the Khronos validator and is
            // refused by vsa: loading it reports IO_ERROR. Network schemes are not fetched (as in Khronos' suite).
            return colon == 1 || uri.regionMatches(true, 0, "file:", 0, 5) ? uri : null;
        }
        if (uri.startsWith("/") || uri.startsWith("\\")) {
            ctx.issue(GltfIssue.NON_RELATIVE_URI, "uri", uri);
            return uri;
        }
        if (GltfUris.percentDecode(stripQuery(uri)) == null) {
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

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
