package dev.vsa.server;

import dev.vsa.processing.Digests;
import dev.vsa.server.http.ApiException;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The web page for people ({@code /}, assets under {@code /app/}) and the Swagger UI ({@code /docs}, from its
 * webjar under {@code /docs/swagger-ui/<version>/}), all from the jar: nothing is fetched from elsewhere.
 * The page talks only to the public API. Every response carries a strict Content-Security-Policy; the one inline
 * script of the page (its import map) is allowed by its hash, computed here from the file.
 */
final class WebApp {
    private static final String WEB = "/dev/vsa/server/web/";
    private static final String SWAGGER_PROPS = "/META-INF/maven/org.webjars/swagger-ui/pom.properties";
    /** Asset paths: no dot segments, no odd characters. */
    private static final Pattern SAFE_PATH = Pattern.compile("(?:[A-Za-z0-9_-][A-Za-z0-9._-]*/)*[A-Za-z0-9_-][A-Za-z0-9._-]*");
    private static final Pattern IMPORT_MAP = Pattern.compile("<script type=\"importmap\">(.*?)</script>", Pattern.DOTALL);
    private static final Map<String, String> TYPES = Map.of("js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8", "html", "text/html; charset=utf-8", "png", "image/png",
            "svg", "image/svg+xml", "json", "application/json", "txt", "text/plain; charset=utf-8");

    /** An in-memory asset: bytes, type and strong validator. */
    private record Asset(byte[] bytes, String type, String etag) {
    }

    private final String swaggerVersion;
    private final String appPolicy;
    private final String docsPolicy;
    private final Asset index;
    private final Asset docs;
    private final Map<String, Optional<Asset>> cache = new ConcurrentHashMap<>();

    WebApp() {
        swaggerVersion = swaggerVersion();
        index = asset(read(WEB + "index.html"), "html");
        String docsHtml = new String(read(WEB + "docs.html"), StandardCharsets.UTF_8)
                .replace("{{swagger-ui}}", "/docs/swagger-ui/" + swaggerVersion);
        docs = asset(docsHtml.getBytes(StandardCharsets.UTF_8), "html");
        Matcher m = IMPORT_MAP.matcher(new String(index.bytes(), StandardCharsets.UTF_8));
        if (!m.find()) {
            throw new IllegalStateException("web/index.html has no import map");
        }
        String mapHash = Base64.getEncoder().encodeToString(Digests.sha256(m.group(1).getBytes(StandardCharsets.UTF_8)));
        // The viewer compiles its WebAssembly sorter ('wasm-unsafe-eval', not 'unsafe-eval') and runs it in
        // workers it makes from blobs; glTF textures and splat data become blob: URLs. Nothing else is allowed.
        String common = "default-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; "
                + "object-src 'none'; font-src 'self'; manifest-src 'self'";
        appPolicy = common + "; script-src 'self' 'sha256-" + mapHash + "' 'wasm-unsafe-eval'; worker-src 'self' blob:; "
                + "style-src 'self'; img-src 'self' blob: data:; connect-src 'self' blob: data:";
        // Swagger UI sets style attributes in its markup (so 'unsafe-inline' for styles only) and draws data: images.
        docsPolicy = common + "; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                + "connect-src 'self'";
    }

    String swaggerVersion() {
        Properties p = new Properties();
        try (InputStream in = WebApp.class.getResourceAsStream(SWAGGER_PROPS)) {
            if (in == null) {
                throw new IllegalStateException("the swagger-ui webjar is missing from the class path");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p.getProperty("version");
    }

    /** {@code GET /}: the page (hash-routed: one document for every view). */
    void index(Context ctx) {
        send(ctx, index, "no-cache", appPolicy);
    }

    /** {@code GET /docs}: Swagger UI over {@code /openapi.json}. */
    void docs(Context ctx) {
        send(ctx, docs, "no-cache", docsPolicy);
    }

    /**
     * {@code GET /app/<path>}: the page's own scripts and styles (revalidated on each load, so a new release is
     * picked up at once) and the vendored viewer modules (cached for a day, then revalidated by ETag).
     */
    void asset(Context ctx) {
        String path = ctx.pathParam("path");
        Asset a = find(WEB, path).orElseThrow(() -> ApiException.notFound("asset " + path));
        send(ctx, a, path.startsWith("vendor/") ? "public, max-age=86400" : "no-cache", appPolicy);
    }

    /** {@code GET /docs/swagger-ui/<version>/<path>}: the webjar's files; the version in the URL makes them immutable. */
    void swaggerAsset(Context ctx) {
        String version = ctx.pathParam("version");
        String path = ctx.pathParam("path");
        if (!version.equals(swaggerVersion)) {
            throw ApiException.notFound("swagger-ui " + version);
        }
        Asset a = find("/META-INF/resources/webjars/swagger-ui/" + swaggerVersion + "/", path)
                .orElseThrow(() -> ApiException.notFound("asset " + path));
        send(ctx, a, "public, max-age=31536000, immutable", docsPolicy);
    }

    private Optional<Asset> find(String root, String path) {
        if (!SAFE_PATH.matcher(path).matches() || path.length() > 200) {
            return Optional.empty();
        }
        return cache.computeIfAbsent(root + path, key -> {
            try (InputStream in = WebApp.class.getResourceAsStream(key)) {
                if (in == null) {
                    return Optional.empty();
                }
                String name = path.substring(path.lastIndexOf('/') + 1);
                String ext = name.contains(".") ? name.substring(name.lastIndexOf('.') + 1) : "txt";
                return Optional.of(asset(in.readAllBytes(), ext));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static void send(Context ctx, Asset a, String cacheControl, String policy) {
        ctx.header("Content-Security-Policy", policy);
        ctx.header("Referrer-Policy", "same-origin");
        ctx.header("Cross-Origin-Opener-Policy", "same-origin");
        ctx.header("Cache-Control", cacheControl);
        ctx.header("ETag", a.etag());
        String inm = ctx.header("If-None-Match");
        if (inm != null && (inm.equals(a.etag()) || inm.equals("W/" + a.etag()) || inm.contains(a.etag()))) {
            ctx.status(304);
            return;
        }
        ctx.contentType(a.type());
        ctx.result(a.bytes());
    }

    private static Asset asset(byte[] bytes, String ext) {
        String type = TYPES.getOrDefault(ext, "application/octet-stream");
        return new Asset(bytes, type, "\"" + HexFormat.of().formatHex(Digests.sha256(bytes), 0, 16) + "\"");
    }

    private static byte[] read(String name) {
        try (InputStream in = WebApp.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
