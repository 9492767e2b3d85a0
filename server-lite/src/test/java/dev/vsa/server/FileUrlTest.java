package dev.vsa.server;

import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A file's URL path: the plain names' shortcut answers what URLEncoder does, for every character class. */
class FileUrlTest {
    @Test
    void encodePath_sameAsUrlEncoder() {
        StringBuilder all = new StringBuilder();
        for (char c = 1; c < 0x250; c++) {
            all.append(c);
        }
        for (String name : new String[] {"original/scene.ply", "scene.spz", "a_b-c*d.e", "original/x y.ply",
                "original/100%.ply", "a+b.ply", "é.ply", "a~b", "original/😀.spz", all.toString()}) {
            String expected = URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20").replace("%2F", "/");
            assertEquals(expected, SceneApi.encodePath(name), name);
        }
        for (char c = 1; c < 0x250; c++) {
            String name = "x" + c;
            String expected = URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20").replace("%2F", "/");
            assertEquals(expected, SceneApi.encodePath(name), "char " + (int) c);
        }
    }
}
