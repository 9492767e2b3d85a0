package dev.vsa.core.format.ply;

import java.util.Locale;

/** The scalar types a PLY header may name (Paul Bourke's names and the sized aliases). */
enum PlyType {
    CHAR(1), UCHAR(1), SHORT(2), USHORT(2), INT(4), UINT(4), FLOAT(4), DOUBLE(8);

    final int size;

    PlyType(int size) {
        this.size = size;
    }

    /** The type named {@code name}, or null. */
    static PlyType parse(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "char", "int8" -> CHAR;
            case "uchar", "uint8" -> UCHAR;
            case "short", "int16" -> SHORT;
            case "ushort", "uint16" -> USHORT;
            case "int", "int32" -> INT;
            case "uint", "uint32" -> UINT;
            case "float", "float32" -> FLOAT;
            case "double", "float64" -> DOUBLE;
            default -> null;
        };
    }

    /** The name written in headers. */
    String headerName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
