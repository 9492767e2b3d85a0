package dev.vsa.processing.internal;

import dev.vsa.processing.TestDatabases;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** {@link Json#compact}: a jsonb column's text, as a real PostgreSQL prints it, back in Jackson's compact form. */
class JsonCompactTest {
    @Test
    void compact_jsonbText_isWhatJacksonWrites() throws Exception {
        // Blanks, separators, quotes and backslashes inside strings stay; those PostgreSQL adds outside them go.
        String written = Json.write(Json.parse("{\"name\": \"a, b: c\", \"q\": \"say \\\"x: y\\\", ok\\\\\", "
                + "\"tab\": \"\\t \\n\", \"u\": \"\\u00e9 \\u2603\", \"n\": [1, -2.5, 0.125, 1.0, true, false, null], "
                + "\"o\": {\"e\": {}, \"a\": [], \"s\": \" \"}}"));
        try (Connection c = DriverManager.getConnection(TestDatabases.fresh());
             PreparedStatement ps = c.prepareStatement("SELECT ?::jsonb::text")) {
            ps.setString(1, written);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                String stored = rs.getString(1);
                // jsonb orders keys its own way: the compact text is the stored value as Jackson writes it
                assertEquals(Json.write(Json.parse(stored)), Json.compact(stored), stored);
            }
        }
    }

    @Test
    void compact_alreadyCompactOrNull_isUnchanged() {
        String s = "{\"a\":[1,2],\"b\":\"x y\"}";
        assertSame(s, Json.compact(s));
        assertNull(Json.compact(null));
    }
}
