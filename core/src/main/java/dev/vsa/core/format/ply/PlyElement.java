package dev.vsa.core.format.ply;

import java.util.List;

/**
 * One element of a PLY header.
 *
 * @param name       element name ({@code vertex}, {@code chunk}, {@code sh}, ...)
 * @param count      rows declared
 * @param properties properties in file order
 */
record PlyElement(String name, long count, List<PlyProperty> properties) {
    /** Bytes per row in a binary file, or -1 when a property is a list (rows then vary). */
    int rowSize() {
        int size = 0;
        for (PlyProperty p : properties) {
            if (p.isList()) {
                return -1;
            }
            size += p.type().size;
        }
        return size;
    }

    /** Index of the property named {@code name}, or -1. */
    int indexOf(String name) {
        for (int i = 0; i < properties.size(); i++) {
            if (properties.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }
}
