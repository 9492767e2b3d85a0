package dev.vsa.server;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes one self-contained {@code .html} file that shows a scene in the web app's own viewer ({@code viewer.js}
 * with the vendored three.js and Spark, the files {@link WebApp} serves), offline: every module is inlined as a
 * {@code data:} URL in the page's import map and the scene's bytes are inlined as base64, so opening the file from
 * disk fetches nothing. The web app's bundle lives here, in server-lite, so the writer does too; the CLI calls it.
 *
 * <p>Two vendored modules import a sibling by a relative path, which a {@code data:} URL cannot resolve: those
 * imports are rewritten to bare names the import map also holds ({@code three.module.min.js}'s
 * {@code ./three.core.min.js}, {@code GLTFLoader.js}'s {@code ../utils/BufferGeometryUtils.js}).
 *
 * <pre>{@code
 * StandaloneViewer.write(Path.of("scene.spz"), StandaloneViewer.Kind.SPLAT, "spz", "My scene", Path.of("scene.html"));
 * }</pre>
 */
public final class StandaloneViewer {
    private static final String WEB = "/dev/vsa/server/web/";
    private static final java.util.regex.Pattern RELATIVE_IMPORT =
            java.util.regex.Pattern.compile("\\bfrom\\s*[\"']\\.{1,2}/");

    /** What the embedded file holds. */
    public enum Kind {
        /** Gaussian splats, read by Spark. */
        SPLAT,
        /** A binary glTF with meshes, read by three.js's GLTFLoader. */
        MESH
    }

    private StandaloneViewer() {
    }

    /**
     * Writes {@code out}: the page, the viewer's modules and {@code scene}'s bytes.
     *
     * @param scene    the file to show: splats in a format Spark reads (SPZ v2/v3, .ply, .splat, .ksplat), or a GLB
     * @param kind     what {@code scene} holds
     * @param type     for splats, Spark's file type ({@code spz}, {@code ply}, {@code splat}, {@code ksplat});
     *                 ignored for meshes
     * @param title    the page's title (text; escaped here)
     * @param out      the .html to write (replaced)
     * @throws IOException if a file cannot be read or written
     * @throws IllegalStateException if the web app's files are missing from the class path (a broken build)
     */
    public static void write(Path scene, Kind kind, String type, String title, Path out) throws IOException {
        Map<String, String> modules = new LinkedHashMap<>();
        modules.put("three", resource("vendor/three/three.module.min.js")
                .replace("from\"./three.core.min.js\"", "from\"three/core\""));
        modules.put("three/core", resource("vendor/three/three.core.min.js"));
        modules.put("three/addons/controls/OrbitControls.js", resource("vendor/three/addons/controls/OrbitControls.js"));
        modules.put("three/addons/loaders/GLTFLoader.js", resource("vendor/three/addons/loaders/GLTFLoader.js")
                .replace("'../utils/BufferGeometryUtils.js'", "'three/addons/utils/BufferGeometryUtils.js'"));
        modules.put("three/addons/utils/BufferGeometryUtils.js", resource("vendor/three/addons/utils/BufferGeometryUtils.js"));
        modules.put("three/addons/postprocessing/Pass.js", resource("vendor/three/addons/postprocessing/Pass.js"));
        modules.put("@sparkjsdev/spark", resource("vendor/spark/spark.module.min.js"));
        modules.put("vsa/viewer", resource("viewer.js"));
        for (Map.Entry<String, String> m : modules.entrySet()) {
            if (RELATIVE_IMPORT.matcher(m.getValue()).find()) {
                throw new IllegalStateException(m.getKey() + " still imports a relative path: the vendored files changed");
            }
        }
        String fileName = kind == Kind.MESH ? "scene.glb" : "scene." + type;
        Path temp = out.resolveSibling("." + out.getFileName() + ".tmp");
        try (Writer w = new BufferedWriter(Files.newBufferedWriter(temp, StandardCharsets.UTF_8), 1 << 16)) {
            w.write("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
            w.write("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
            w.write("<meta name=\"generator\" content=\"vsa\">\n<title>" + escape(title) + "</title>\n");
            w.write("<style>html,body{margin:0;height:100%;background:#20242c;color:#ccd;font:14px sans-serif}"
                    + "#viewer{position:fixed;inset:0}#viewer-status{position:fixed;left:12px;bottom:10px;"
                    + "pointer-events:none}</style>\n");
            w.write("<script type=\"importmap\">\n{\"imports\": {");
            boolean first = true;
            for (Map.Entry<String, String> m : modules.entrySet()) {
                w.write((first ? "" : ",") + "\n\"" + m.getKey() + "\": \"data:text/javascript;base64,");
                w.write(Base64.getEncoder().encodeToString(m.getValue().getBytes(StandardCharsets.UTF_8)));
                w.write("\"");
                first = false;
            }
            w.write("\n}}\n</script>\n</head>\n<body>\n<div id=\"viewer\"></div>\n<div id=\"viewer-status\"></div>\n");
            w.write("<script type=\"application/octet-stream\" id=\"vsa-scene\">");
            w.flush();
            try (InputStream in = Files.newInputStream(scene); OutputStream enc = Base64.getEncoder()
                    .wrap(new NonClosing(w))) {
                in.transferTo(enc);
            }
            w.write("</script>\n<script type=\"module\">\n");
            w.write("import { mountViewer } from \"vsa/viewer\";\n");
            w.write("const status = document.getElementById(\"viewer-status\");\n");
            w.write("const host = document.getElementById(\"viewer\");\n");
            w.write("try {\n");
            w.write("  const b64 = document.getElementById(\"vsa-scene\").textContent;\n");
            w.write("  const bytes = new Uint8Array(await (await fetch(\"data:application/octet-stream;base64,\" + b64))"
                    + ".arrayBuffer());\n");
            w.write("  const shown = await mountViewer(host, [{ kind: \"" + (kind == Kind.MESH ? "mesh" : "splat")
                    + "\", type: \"" + escape(type) + "\", file: { name: \"" + fileName + "\" }, bytes }],"
                    + " (s) => { status.textContent = s; });\n");
            w.write("  status.textContent = \"\";\n  host.dataset.shown = shown.file.name;\n");
            w.write("} catch (e) {\n  status.textContent = String(e && e.message ? e.message : e);\n"
                    + "  host.dataset.error = status.textContent;\n}\n");
            w.write("</script>\n</body>\n</html>\n");
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        Files.move(temp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = StandaloneViewer.class.getResourceAsStream(WEB + name)) {
            if (in == null) {
                throw new IllegalStateException("the web app's " + name + " is not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** Lets the base64 encoder write into the page without closing it. */
    private static final class NonClosing extends OutputStream {
        private final Writer w;

        NonClosing(Writer w) {
            this.w = w;
        }

        @Override
        public void write(int b) throws IOException {
            w.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            // base64 output is ASCII: one byte, one char
            char[] c = new char[len];
            for (int i = 0; i < len; i++) {
                c[i] = (char) (b[off + i] & 0xff);
            }
            w.write(c, 0, len);
        }

        @Override
        public void close() throws IOException {
            w.flush();
        }
    }
}
