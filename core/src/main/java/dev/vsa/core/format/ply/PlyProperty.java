package dev.vsa.core.format.ply;

/**
 * One property of a PLY element.
 *
 * @param name      property name
 * @param type      scalar type (the item type for a list)
 * @param countType the list's count type, or null for a scalar property
 */
record PlyProperty(String name, PlyType type, PlyType countType) {
    boolean isList() {
        return countType != null;
    }
}
