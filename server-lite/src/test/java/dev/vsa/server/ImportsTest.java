package dev.vsa.server;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The server's start-up (VsaServer) and its auth and http packages name other classes through imports, not
 * inline fully-qualified names (style.md): the imports then list what a class depends on.
 */
class ImportsTest {
    /** A package path ending in a class name, e.g. {@code java.util.UUID} or {@code io.micrometer.core.instrument.Gauge}. */
    private static final Pattern QUALIFIED = Pattern.compile(
            "(?<![\\w.\"@{#])(?:java|javax|jakarta|com|org|io|dev)\\.[a-z0-9]+(?:\\.[a-z0-9]+)*\\.[A-Z]\\w*");

    @Test
    void code_namesClassesByImports() throws IOException {
        Path main = Path.of("src/main/java/dev/vsa/server");
        List<Path> files = new ArrayList<>(List.of(main.resolve("VsaServer.java")));
        for (String pkg : List.of("auth", "http")) {
            try (Stream<Path> s = Files.list(main.resolve(pkg))) {
                s.filter(p -> p.toString().endsWith(".java")).sorted().forEach(files::add);
            }
        }
        List<String> inline = new ArrayList<>();
        for (Path f : files) {
            List<String> lines = Files.readAllLines(f);
            for (int i = 0; i < lines.size(); i++) {
                String t = lines.get(i).strip();
                if (t.startsWith("import ") || t.startsWith("package ") || t.startsWith("*") || t.startsWith("/*")
                        || t.startsWith("//")) {
                    continue;
                }
                String code = t.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"").replaceAll("//.*", "");
                if (QUALIFIED.matcher(code).find()) {
                    inline.add(f.getFileName() + ":" + (i + 1) + ": " + t);
                }
            }
        }
        assertEquals(List.of(), inline);
    }
}
