package dev.vsa.core.validate.gltf;

/** OpenGL enums used by glTF. */
final class Gl {
    static final int BYTE = 5120;
    static final int UNSIGNED_BYTE = 5121;
    static final int SHORT = 5122;
    static final int UNSIGNED_SHORT = 5123;
    static final int UNSIGNED_INT = 5125;
    static final int FLOAT = 5126;
    static final long[] COMPONENT_TYPES = {BYTE, UNSIGNED_BYTE, SHORT, UNSIGNED_SHORT, UNSIGNED_INT, FLOAT};
    static final long[] ELEMENT_ARRAY_TYPES = {UNSIGNED_BYTE, UNSIGNED_SHORT, UNSIGNED_INT};
    static final int ARRAY_BUFFER = 34962;
    static final int ELEMENT_ARRAY_BUFFER = 34963;
    static final long[] TARGETS = {ARRAY_BUFFER, ELEMENT_ARRAY_BUFFER};
    static final long[] MAG_FILTERS = {9728, 9729};
    static final long[] MIN_FILTERS = {9728, 9729, 9984, 9985, 9986, 9987};
    static final long[] WRAPS = {33071, 33648, 10497};
    static final String[] MODES = {"POINTS", "LINES", "LINE_LOOP", "LINE_STRIP", "TRIANGLES", "TRIANGLE_STRIP", "TRIANGLE_FAN"};

    private Gl() {
    }

    static int componentLength(long type) {
        return switch ((int) type) {
            case BYTE, UNSIGNED_BYTE -> 1;
            case SHORT, UNSIGNED_SHORT -> 2;
            case UNSIGNED_INT, FLOAT -> 4;
            default -> 0;
        };
    }

    static double typeMin(long type) {
        return switch ((int) type) {
            case BYTE -> -128;
            case SHORT -> -32768;
            default -> 0;
        };
    }

    static double typeMax(long type) {
        return switch ((int) type) {
            case BYTE -> 127;
            case UNSIGNED_BYTE -> 255;
            case SHORT -> 32767;
            case UNSIGNED_SHORT -> 65535;
            case UNSIGNED_INT -> 4294967295.0;
            default -> Double.MAX_VALUE;
        };
    }

    static String typeName(long type) {
        return switch ((int) type) {
            case BYTE -> "BYTE";
            case UNSIGNED_BYTE -> "UNSIGNED_BYTE";
            case SHORT -> "SHORT";
            case UNSIGNED_SHORT -> "UNSIGNED_SHORT";
            case UNSIGNED_INT -> "UNSIGNED_INT";
            case FLOAT -> "FLOAT";
            default -> Long.toString(type);
        };
    }

    static int typeLength(String type) {
        if (type == null) {
            return 0;
        }
        return switch (type) {
            case "SCALAR" -> 1;
            case "VEC2" -> 2;
            case "VEC3" -> 3;
            case "VEC4", "MAT2" -> 4;
            case "MAT3" -> 9;
            case "MAT4" -> 16;
            default -> 0;
        };
    }
}
