package dev.vsa.core.validate.gltf;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Collection;
import java.util.StringJoiner;

/** Formats message arguments the way the Khronos validator prints them (strings quoted, numbers plain). */
final class Fmt {
    private Fmt() {
    }

    static String value(Object o) {
        if (o == null) {
            return "null";
        }
        if (o instanceof Double d) {
            return num(d);
        }
        if (o instanceof Float f) {
            return num(f.doubleValue());
        }
        if (o instanceof JsonNode n) {
            if (n.isTextual()) {
                return "'" + n.asText() + "'";
            }
            if (n.isNumber()) {
                return num(n.asDouble());
            }
            String s = n.toString();
            return s.length() > 200 ? s.substring(0, 200) + "..." : s;
        }
        if (o instanceof Collection<?> c) {
            StringJoiner j = new StringJoiner(", ", "(", ")");
            for (Object e : c) {
                j.add(e instanceof String s ? "'" + s + "'" : value(e));
            }
            return j.toString();
        }
        return o.toString();
    }

    /** A quoted string value, other values plain (Dart's {@code _mbq}). */
    static String mbq(JsonNode n) {
        return value(n);
    }

    static String num(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e21) {
            return Long.toString((long) d);
        }
        return Double.toString(d);
    }
}
