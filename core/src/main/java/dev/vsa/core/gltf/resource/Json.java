package dev.vsa.core.gltf.resource;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * Lenient reads of glTF JSON for the readers that stop at the first problem (inspect, convert, the KHR splat codec):
 * a missing or mistyped property yields the default (the validator reports it), and a number is an integer only if
 * it is whole and in range, never a string that parses or a value truncated to fit.
 */
public final class Json {
    private Json() {
    }

    /** {@code node[field]} as an array's elements, or an empty list. */
    public static List<JsonNode> array(JsonNode node, String field) {
        JsonNode a = node == null ? null : node.get(field);
        List<JsonNode> out = new ArrayList<>();
        if (a != null && a.isArray()) {
            a.forEach(out::add);
        }
        return out;
    }

    /** Element {@code index} of array {@code node[field]}, or null. */
    public static JsonNode element(JsonNode node, String field, int index) {
        JsonNode a = node == null ? null : node.get(field);
        if (a == null || !a.isArray() || index < 0 || index >= a.size()) {
            return null;
        }
        return a.get(index);
    }

    public static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }

    /** {@code v} as an int if it is a whole number in int range, else {@code fallback}. */
    public static int intValue(JsonNode v, int fallback) {
        return isWhole(v) && v.canConvertToInt() ? v.asInt() : fallback;
    }

    public static int intOr(JsonNode node, String field, int fallback) {
        Integer v = intOrNull(node, field);
        return v == null ? fallback : v;
    }

    public static Integer intOrNull(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return isWhole(v) && v.canConvertToInt() ? Integer.valueOf(v.asInt()) : null;
    }

    public static long longOr(JsonNode node, String field, long fallback) {
        JsonNode v = node == null ? null : node.get(field);
        return isWhole(v) && v.canConvertToLong() ? v.asLong() : fallback;
    }

    /** An integer, also one written as a float ({@code 1.0}, {@code 1e0}): JSON has one number type, and the
     *  Khronos validator reads such values as integers too. */
    public static boolean isWhole(JsonNode v) {
        if (v == null || !v.isNumber()) {
            return false;
        }
        if (v.isIntegralNumber()) {
            return true;
        }
        double d = v.asDouble();
        return Double.isFinite(d) && d == Math.rint(d);
    }

    /** Names of {@code node[field]}'s properties (e.g. a primitive's attributes or extensions), in order. */
    public static List<String> keys(JsonNode node, String field) {
        JsonNode o = node == null ? null : node.get(field);
        List<String> out = new ArrayList<>();
        if (o != null && o.isObject()) {
            o.fieldNames().forEachRemaining(out::add);
        }
        return out;
    }

    /** Strings of array {@code node[field]}, or an empty list. */
    public static List<String> strings(JsonNode node, String field) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : array(node, field)) {
            if (n.isTextual()) {
                out.add(n.asText());
            }
        }
        return out;
    }
}
