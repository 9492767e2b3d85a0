package dev.vsa.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.vsa.server.AuthApiTest.assertProblem;
import static dev.vsa.server.TestStack.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Health, readiness, the OpenAPI document against the routes, the docs page, unknown routes. */
class MetaApiTest {
    private final TestStack stack = TestStack.shared();

    @Test
    void healthz_up_200() throws Exception {
        HttpResponse<String> r = stack.get("/healthz", null);
        assertEquals(200, r.statusCode());
        assertEquals("ok", JSON.readTree(r.body()).path("status").asText());
    }

    @Test
    void readyz_databaseAndStorageReachable_200() throws Exception {
        HttpResponse<String> r = stack.get("/readyz", null);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode j = JSON.readTree(r.body());
        assertEquals("ok", j.path("database").asText());
        assertEquals("ok", j.path("storage").asText());
    }

    @Test
    void openapi_listsEveryRouteAndNothingElse() throws Exception {
        HttpResponse<String> r = stack.get("/openapi.json", null);
        assertEquals(200, r.statusCode());
        JsonNode doc = JSON.readTree(r.body());
        assertTrue(doc.path("openapi").asText().startsWith("3."));
        Set<String> documented = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = doc.path("paths").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            for (String m : List.of("get", "post", "put", "delete", "patch", "head", "options")) {
                if (e.getValue().has(m)) {
                    documented.add(m.toUpperCase(Locale.ROOT) + " " + e.getKey());
                }
            }
        }
        Set<String> routes = new TreeSet<>();
        for (VsaServer.Route route : stack.server.routes()) {
            if (!route.staticAsset()) {
                routes.add(route.method() + " " + route.path());
            }
        }
        assertEquals(routes, documented);
    }

    @Test
    void routes_areTheRoutersOwn() {
        // routes() must come from the router itself, not from a list kept beside it: the handlers added with
        // cfg.routes directly (static files) are there too, and so is every API route, whatever added it.
        Set<String> routes = new TreeSet<>();
        stack.server.routes().forEach(r -> routes.add(r.method() + " " + r.path()));
        assertTrue(routes.contains("GET /app/{path}"), routes.toString());
        assertTrue(routes.contains("POST /scenes/{id}/reprocess"), routes.toString());
        assertTrue(routes.contains("GET /scenes/{id}"), routes.toString());
    }

    @Test
    void openapi_everyRefResolves() throws Exception {
        JsonNode doc = JSON.readTree(stack.get("/openapi.json", null).body());
        List<String> refs = new ArrayList<>();
        collectRefs(doc, refs);
        assertTrue(refs.size() > 20);
        for (String ref : refs) {
            assertTrue(!doc.at(ref.substring(1)).isMissingNode(), "unresolved " + ref);
        }
    }

    private static void collectRefs(JsonNode n, List<String> out) {
        if (n.isObject()) {
            n.fields().forEachRemaining(e -> {
                if (e.getKey().equals("$ref")) {
                    out.add(e.getValue().asText());
                } else {
                    collectRefs(e.getValue(), out);
                }
            });
        } else if (n.isArray()) {
            n.forEach(c -> collectRefs(c, out));
        }
    }

    @Test
    void openapi_validAccordingToSwaggerParser() throws Exception {
        // A real OpenAPI 3 parser and validator (swagger-parser), not only our own walk: schema errors, bad $refs,
        // unknown keywords and missing required fields are all reported as messages.
        String doc = stack.get("/openapi.json", null).body();
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(doc, null, options);
        assertTrue(result.getMessages() == null || result.getMessages().isEmpty(), "OpenAPI problems: " + result.getMessages());
        assertTrue(result.getOpenAPI() != null && result.getOpenAPI().getPaths().size() > 15);
    }

    @Test
    void openapi_swaggerParserCatchesABrokenDocument() throws Exception {
        // The check above can fail: the same parser on a copy with a dangling $ref and a path without responses.
        String doc = stack.get("/openapi.json", null).body()
                .replace("#/components/schemas/Health", "#/components/schemas/Nope")
                .replaceFirst("\"responses\": \\{\"200\": \\{\"description\": \"up\"", "\"x\": {\"200\": {\"description\": \"up\"");
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(doc, null, options);
        assertTrue(result.getMessages() != null && result.getMessages().size() >= 2, "found: " + result.getMessages());
    }

    @Test
    void docs_swaggerUiFromTheJar() throws Exception {
        HttpResponse<String> r = stack.get("/docs", null);
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        String csp = r.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(csp.contains("default-src 'none'") && csp.contains("script-src 'self';"), csp);
        Matcher m = Pattern.compile("(?:src|href)=\"(/[^\"]+)\"").matcher(r.body());
        int assets = 0;
        while (m.find()) {
            HttpResponse<String> a = stack.get(m.group(1), null);
            assertEquals(200, a.statusCode(), m.group(1));
            assets++;
        }
        assertTrue(assets >= 4, "stylesheet, bundle, initializer and icon, all served here");
        assertTrue(r.body().contains("swagger-ui-bundle.js"));
        assertTrue(!r.body().contains("http://") && !r.body().contains("https://"), "nothing from elsewhere");
    }

    @Test
    void deleteOnTheSceneCollection_405WithAllow() throws Exception {
        HttpResponse<String> r = stack.delete("/scenes", null);
        assertEquals(405, r.statusCode(), r.body());
        assertProblem(r, "method-not-allowed");
        assertEquals("GET, HEAD", r.headers().firstValue("Allow").orElse(""));
    }

    @Test
    void everyRoutesPath_otherMethod_405ProblemWithItsMethodsInAllow() throws Exception {
        // One rule for all routes: a path the router knows, asked with a method none of its routes has (no route
        // uses PUT), answers 405 naming the path's methods.
        Map<String, Set<String>> methods = new java.util.TreeMap<>();
        for (VsaServer.Route route : stack.server.routes()) {
            methods.computeIfAbsent(route.path(), k -> new TreeSet<>()).add(route.method());
        }
        for (Map.Entry<String, Set<String>> e : methods.entrySet()) {
            String path = e.getKey().replaceAll("\\{[^}]+}", "x");
            HttpResponse<String> r = stack.http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                    stack.url(path))).PUT(java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(405, r.statusCode(), path + ": " + r.body());
            assertProblem(r, "method-not-allowed");
            Set<String> expected = new TreeSet<>(e.getValue());
            if (expected.contains("GET")) {
                expected.add("HEAD");
            }
            Set<String> allow = new TreeSet<>(List.of(r.headers().firstValue("Allow").orElse("").split(", ")));
            assertEquals(expected, allow, path);
        }
    }

    @Test
    void unknownRoute_404Problem() throws Exception {
        HttpResponse<String> r = stack.get("/nope", null);
        assertEquals(404, r.statusCode());
        assertProblem(r, "not-found");
    }
}
