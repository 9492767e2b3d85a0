package dev.vsa.core.validate.gltf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Typed property getters that report schema issues (TYPE_MISMATCH, UNDEFINED_PROPERTY, VALUE_NOT_IN_RANGE, ...)
 * exactly where the Khronos validator does. Numbers with an integral value count as integers (as in JavaScript).
 */
final class J {
    static final long NONE = -1;

    private J() {
    }

    /** The value, or null if absent; an explicit JSON null is a TYPE_MISMATCH and counts as absent. */
    static JsonNode guarded(ObjectNode map, String name, String type, Ctx ctx) {
        JsonNode v = map.get(name);
        if (v != null && v.isNull()) {
            ctx.issue(GltfIssue.TYPE_MISMATCH, name, "null", type);
            return null;
        }
        return v;
    }

    static boolean isInt(JsonNode v) {
        if (v == null || !v.isNumber()) {
            return false;
        }
        if (v.isIntegralNumber()) {
            return true;
        }
        double d = v.asDouble();
        return Double.isFinite(d) && d == Math.floor(d);
    }

    static long asLong(JsonNode v) {
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            return v.asLong();
        }
        double d = v.asDouble();
        return d >= 9.2e18 ? Long.MAX_VALUE : d <= -9.2e18 ? Long.MIN_VALUE : (long) d;
    }

    static void checkMembers(ObjectNode map, Set<String> known, Ctx ctx) {
        for (var it = map.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!known.contains(k) && !k.equals("extensions") && !k.equals("extras")) {
                ctx.issue(GltfIssue.UNEXPECTED_PROPERTY, k);
            }
        }
    }

    static long index(ObjectNode map, String name, Ctx ctx, boolean req) {
        JsonNode v = guarded(map, name, "integer", ctx);
        if (isInt(v)) {
            long l = asLong(v);
            if (l >= 0) {
                return l;
            }
            ctx.issue(GltfIssue.INVALID_INDEX, name);
        } else if (v == null) {
            if (req) {
                ctx.issue(GltfIssue.UNDEFINED_PROPERTY, null, name);
            }
        } else {
            ctx.issue(GltfIssue.TYPE_MISMATCH, name, Fmt.mbq(v), "integer");
        }
        return NONE;
    }

    static boolean bool(ObjectNode map, String name, Ctx ctx, boolean def) {
        JsonNode v = guarded(map, name, "boolean", ctx);
        if (v == null) {
            return def;
        }
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        ctx.issue(GltfIssue.TYPE_MISMATCH, name, Fmt.mbq(v), "boolean");
        return def;
    }

    /** A non-negative integer within [min, max] (max -1: none) or in {@code list}; -1 if absent or invalid. */
    static long uint(ObjectNode map, String name, Ctx ctx, boolean req, long min, long max, long def, long[] list) {
        JsonNode v = guarded(map, name, "integer", ctx);
        if (isInt(v)) {
            long l = asLong(v);
            if (list != null) {
                boolean ok = false;
                for (long x : list) {
                    ok |= x == l;
                }
                if (!ok) {
                    ctx.issue(GltfIssue.VALUE_NOT_IN_LIST, name, Fmt.mbq(v), listOf(list));
                    return NONE;
                }
            } else if (l < min || (max != -1 && l > max)) {
                ctx.issue(GltfIssue.VALUE_NOT_IN_RANGE, name, Fmt.mbq(v));
                return NONE;
            }
            return l;
        } else if (v == null) {
            if (!req) {
                return def;
            }
            ctx.issue(GltfIssue.UNDEFINED_PROPERTY, null, name);
        } else {
            ctx.issue(GltfIssue.TYPE_MISMATCH, name, Fmt.mbq(v), "integer");
        }
        return NONE;
    }

    static long uint(ObjectNode map, String name, Ctx ctx, boolean req, long min, long def) {
        return uint(map, name, ctx, req, min, -1, def, null);
    }

    private static List<Long> listOf(long[] list) {
        List<Long> r = new ArrayList<>();
        for (long x : list) {
            r.add(x);
        }
        return r;
    }

    /** A number in range; NaN if absent or invalid. {@code exclMin}/{@code exclMax} are exclusive bounds. */
    static double num(ObjectNode map, String name, Ctx ctx, boolean req, double min, double exclMin, double max,
                      double exclMax, double def) {
        JsonNode v = guarded(map, name, "number", ctx);
        if (v != null && v.isNumber()) {
            double d = v.asDouble();
            if (d < min || d <= exclMin || d > max || d >= exclMax) {
                ctx.issue(GltfIssue.VALUE_NOT_IN_RANGE, name, Fmt.mbq(v));
                return Double.NaN;
            }
            return d;
        } else if (v == null) {
            if (!req) {
                return def;
            }
            ctx.issue(GltfIssue.UNDEFINED_PROPERTY, null, name);
        } else {
            ctx.issue(GltfIssue.TYPE_MISMATCH, name, Fmt.mbq(v), "number");
        }
        return Double.NaN;
    }

    static double num(ObjectNode map, String name, Ctx ctx, boolean req, double def) {
        return num(map, name, ctx, req, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY,
                Double.POSITIVE_INFINITY, def);
    }

    static String str(ObjectNode map, String name, Ctx ctx, boolean req, List<String> list, String def, Pattern regexp) {
        JsonNode v = guarded(map, name, "string", ctx);
        if (v != null && v.isTextual()) {
            String s = v.asText();
            if (list != null) {
                if (!list.contains(s)) {
                    ctx.issue(GltfIssue.VALUE_NOT_IN_LIST, name, Fmt.mbq(v), list);
                }
            } else if (regexp != null && !regexp.matcher(s).find()) {
                ctx.issue(GltfIssue.PATTERN_MISMATCH, name, s, regexp.pattern());
                return null;
            }
            return s;
        } else if (v == null) {
            if (!req) {
                return def;
            }
            ctx.issue(GltfIssue.UNDEFINED_PROPERTY, null, name);
        } else {
            ctx.issue(GltfIssue.TYPE_MISMATCH, name, Fmt.mbq(v), "string");
        }
        return null;
    }

    static String str(ObjectNode map, String name, Ctx ctx) {
        return str(map, name, ctx, false, null, null, null);
    }

    /**
     * An object property: the object, an empty object if absent and not required (or wrong type and not
     * required), null if required and missing or wrong.
     */
    static ObjectNode map(ObjectNode map, String name, Ctx ctx, boolean req) {
        JsonNode v = guarded(map, name, "object", ctx);
        if (v instanceof ObjectNode o) {
            return o;
        } else if (v == null) {
            if (req) {
                ctx.issue(GltfIssue.UNDEFINED_PROPERTY, null, name);
                return null;
            }
        } else {
            ctx.issue(GltfIssue.TYPE_MISMATCH, name, Fmt.mbq(v), "object");
            if (req) {
                return null;
            }
        }
        return EMPTY;
    }

    static final ObjectNode EMPTY = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();

    /** An inner object (null if absent or wrong type), reporting as getObjectFromInnerMap. */
    static ObjectNode inner(ObjectNode map, String name, Ctx ctx, boolean req) {
        JsonNode v = guarded(map, name, "object", ctx);
        if (v instanceof ObjectNode o) {
            return o;
        } else if (v == null) {
            if (req) {
                ctx.issue(GltfIssue.UNDEFINED_PROPERTY, null, name);
            }
        } else {
            ctx.issue(GltfIssue.TYPE_MISMATCH, name, Fmt.mbq(v), "object");
        }
        return null;
    }

    /** A list of unique indices; invalid entries become -1. Null if absent, empty or wrong. */
    static long[] indices(ObjectNode map, String name, Ctx ctx, boolean req) {
        JsonNode v = guarded(map, name, "array", ctx);
        if (v != null && v.isArray()) {
            if (v.isEmpty()) {
                ctx.issue(GltfIssue.EMPTY_ENTITY, name);
                return null;
            }
            long[] r = new long[v.size()];
            ctx.push(name);
            Set<Long> unique = new HashSet<>();
            for (int i = 0; i < r.length; i++) {
                JsonNode e = v.get(i);
                if (isInt(e) && asLong(e) >= 0) {
                    r[i] = asLong(e);
                    if (!unique.add(r[i])) {
                        ctx.issue(GltfIssue.DUPLICATE_ELEMENTS, i);
                    }
                } else {
                    r[i] = NONE;
                    ctx.issue(GltfIssue.INVALID_INDEX, i);
                }
            }
            ctx.pop();
            return r;
        } else if (v == null) {
            if (req) {
                ctx.issue(GltfIssue.UNDEFINED_PROPERTY, null, name);
            }
        } else {
            ctx.issue(GltfIssue.TYPE_MISMATCH, name, Fmt.mbq(v), "array");
        }
        return null;
    }

    /** An object of name to index (insertion order kept); invalid values become -1. Null if absent/empty/wrong. */
    static Map<String, Long> indicesMap(ObjectNode map, String name, Ctx ctx, Consumer<String> checkKey) {
        JsonNode v = guarded(map, name, "object", ctx);
        if (v instanceof ObjectNode o) {
            if (o.isEmpty()) {
                ctx.issue(GltfIssue.EMPTY_ENTITY, name);
                return null;
            }
            ctx.push(name);
            Map<String, Long> r = indexEntries(o, ctx, checkKey);
            ctx.pop();
            return r;
        } else if (v == null) {
            ctx.issue(GltfIssue.UNDEFINED_PROPERTY, null, name);
        } else {
            ctx.issue(GltfIssue.TYPE_MISMATCH, name, Fmt.mbq(v), "object");
        }
        return null;
    }

    private static Map<String, Long> indexEntries(ObjectNode o, Ctx ctx, Consumer<String> checkKey) {
        Map<String, Long> r = new LinkedHashMap<>();
        for (var it = o.fields(); it.hasNext(); ) {
            var e = it.next();
            checkKey.accept(e.getKey());
            JsonNode x = e.getValue();
            if (isInt(x) && asLong(x) >= 0) {
                r.put(e.getKey(), asLong(x));
            } else {
                r.put(e.getKey(), NONE);
                ctx.issue(GltfIssue.INVALID_INDEX, e.getKey());
            }
        }
        return r;
    }

    /** A list of objects of name to index (morph targets). Null if absent, empty or any element invalid. */
    static List<Map<String, Long>> indicesMapsList(ObjectNode map, String name, Ctx ctx, Consumer<String> checkKey) {
        JsonNode v = guarded(map, name, "array", ctx);
        if (v != null && v.isArray()) {
            if (v.isEmpty()) {
                ctx.issue(GltfIssue.EMPTY_ENTITY, name);
                return null;
            }
            boolean invalid = false;
            List<Map<String, Long>> r = new ArrayList<>();
            ctx.push(name);
            for (int i = 0; i < v.size(); i++) {
                JsonNode e = v.get(i);
                if (e instanceof ObjectNode o) {
                    if (o.isEmpty()) {
                        ctx.issue(GltfIssue.EMPTY_ENTITY, i);
                        invalid = true;
                    } else {
                        ctx.push(i);
                        r.add(indexEntries(o, ctx, checkKey));
                        ctx.pop();
                    }
                } else {
                    ctx.issue(GltfIssue.ARRAY_TYPE_MISMATCH, null, Fmt.mbq(e), "object");
                    invalid = true;
                }
            }
            ctx.pop();
            return invalid ? null : r;
        } else if (v != null) {
            ctx.issue(GltfIssue.TYPE_MISMATCH, name, Fmt.mbq(v), "array");
        }
        return null;
    }

    /** A list of numbers; null if absent, empty, wrong length or containing invalid members. */
    static double[] floats(ObjectNode map, String name, Ctx ctx, boolean single, double min, double max, int[] lengths) {
        JsonNode v = guarded(map, name, "array", ctx);
        if (v != null && v.isArray()) {
            if (v.isEmpty()) {
                ctx.issue(GltfIssue.EMPTY_ENTITY, name);
                return null;
            }
            if (lengths != null) {
                boolean ok = false;
                for (int l : lengths) {
                    ok |= l == v.size();
                }
                if (!ok) {
                    List<Integer> ls = new ArrayList<>();
                    for (int l : lengths) {
                        ls.add(l);
                    }
                    ctx.issue(GltfIssue.ARRAY_LENGTH_NOT_IN_LIST, name, v.size(), ls);
                    return null;
                }
            }
            boolean wrong = false;
            double[] r = new double[v.size()];
            for (int i = 0; i < r.length; i++) {
                JsonNode e = v.get(i);
                if (e.isNumber()) {
                    double d = e.asDouble();
                    if (Double.isInfinite(d) || d < min || d > max) {
                        ctx.push(name);
                        ctx.issue(GltfIssue.VALUE_NOT_IN_RANGE, i, Fmt.mbq(e));
                        ctx.pop();
                        wrong = true;
                    }
                    r[i] = single ? (double) (float) d : d;
                } else {
                    ctx.issue(GltfIssue.ARRAY_TYPE_MISMATCH, name, Fmt.mbq(e), "number");
                    wrong = true;
                }
            }
            return wrong ? null : r;
        } else if (v != null) {
            ctx.issue(GltfIssue.TYPE_MISMATCH, name, Fmt.mbq(v), "array");
        }
        return null;
    }

    static double[] floats(ObjectNode map, String name, Ctx ctx, int[] lengths) {
        return floats(map, name, ctx, false, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, lengths);
    }

    /** Integer min/max of an integer accessor: exactly {@code length} values in the component type's range. */
    static double[] glInts(ObjectNode map, String name, Ctx ctx, int componentType, int length) {
        JsonNode v = guarded(map, name, "array", ctx);
        if (v != null && v.isArray()) {
            if (v.size() != length) {
                ctx.issue(GltfIssue.ARRAY_LENGTH_NOT_IN_LIST, name, v.size(), List.of(length));
                return null;
            }
            double lo = Gl.typeMin(componentType);
            double hi = Gl.typeMax(componentType);
            double[] r = new double[length];
            boolean wrong = false;
            for (int i = 0; i < length; i++) {
                JsonNode e = v.get(i);
                if (isInt(e)) {
                    double d = e.asDouble();
                    if (d < lo || d > hi) {
                        ctx.issue(GltfIssue.INVALID_GL_VALUE, name, Fmt.mbq(e), Gl.typeName(componentType));
                        wrong = true;
                    }
                    r[i] = d;
                } else {
                    ctx.issue(GltfIssue.ARRAY_TYPE_MISMATCH, name, Fmt.mbq(e), "integer");
                    wrong = true;
                }
            }
            return wrong ? null : r;
        } else if (v != null) {
            ctx.issue(GltfIssue.TYPE_MISMATCH, name, Fmt.mbq(v), "array");
        }
        return null;
    }

    /** A list of unique strings; null if absent, empty or with non-strings. */
    static List<String> strings(ObjectNode map, String name, Ctx ctx) {
        JsonNode v = guarded(map, name, "array", ctx);
        if (v != null && v.isArray()) {
            if (v.isEmpty()) {
                ctx.issue(GltfIssue.EMPTY_ENTITY, name);
                return null;
            }
            boolean wrong = false;
            ctx.push(name);
            Set<String> unique = new HashSet<>();
            List<String> r = new ArrayList<>();
            for (int i = 0; i < v.size(); i++) {
                JsonNode e = v.get(i);
                if (e.isTextual()) {
                    if (!unique.add(e.asText())) {
                        ctx.issue(GltfIssue.DUPLICATE_ELEMENTS, i);
                    }
                    r.add(e.asText());
                } else {
                    ctx.issue(GltfIssue.ARRAY_TYPE_MISMATCH, i, Fmt.mbq(e), "string");
                    wrong = true;
                }
            }
            ctx.pop();
            return wrong ? null : r;
        } else if (v != null) {
            ctx.issue(GltfIssue.TYPE_MISMATCH, name, Fmt.mbq(v), "array");
        }
        return null;
    }

    /** A required list of objects; null if absent, empty or with non-objects. */
    static List<ObjectNode> mapList(ObjectNode map, String name, Ctx ctx) {
        JsonNode v = guarded(map, name, "array", ctx);
        if (v != null && v.isArray()) {
            if (v.isEmpty()) {
                ctx.issue(GltfIssue.EMPTY_ENTITY, name);
                return null;
            }
            boolean wrong = false;
            List<ObjectNode> r = new ArrayList<>();
            for (JsonNode e : v) {
                if (e instanceof ObjectNode o) {
                    r.add(o);
                } else {
                    ctx.issue(GltfIssue.ARRAY_TYPE_MISMATCH, name, Fmt.mbq(e), "object");
                    wrong = true;
                }
            }
            return wrong ? null : r;
        } else if (v == null) {
            ctx.issue(GltfIssue.UNDEFINED_PROPERTY, null, name);
        } else {
            ctx.issue(GltfIssue.TYPE_MISMATCH, name, Fmt.mbq(v), "array");
        }
        return null;
    }

    static JsonNode extras(ObjectNode map, Ctx ctx) {
        JsonNode e = map.get("extras");
        if (e != null && !e.isNull() && !e.isObject()) {
            ctx.issue(GltfIssue.NON_OBJECT_EXTRAS, "extras");
        }
        return e == null || e.isNull() ? null : e;
    }
}
