package dev.vsa.core.lod;

import java.util.List;

/**
 * What a streamed SOG's {@code lod-meta.json} says, read without decoding a unit (from {@link LodSets#describe}).
 *
 * @param version     lod-meta.json version: 1, or 0 for files from before splat-transform stamped one
 * @param generator   the writer named in {@code asset.generator}, or null
 * @param levels      per level (0 the finest): its splats, files and chunks
 * @param files       the SOG units, in lod-meta.json's order
 * @param chunks      the tree's leaves (the units of streaming), in tree order
 * @param treeNodes   nodes in the tree, leaves included
 * @param bounds      the union of the leaves' bounds, or null when they carry none
 * @param environment the environment SOG's path (drawn at every distance), or null
 * @param count       splats over all levels
 */
public record LodSetInfo(int version, String generator, List<Level> levels, List<File> files, List<Chunk> chunks,
                         int treeNodes, Bounds bounds, String environment, long count) {
    /**
     * One level.
     *
     * @param level  0 is the finest
     * @param count  splats in the level
     * @param files  SOG units holding it
     * @param chunks leaves that reference it
     */
    public record Level(int level, long count, int files, int chunks) {
    }

    /**
     * One SOG unit.
     *
     * @param path  relative to lod-meta.json's folder
     * @param level the level its rows belong to, or -1 if no leaf names it
     * @param count rows the leaves take from it
     */
    public record File(String path, int level, long count) {
    }

    /**
     * One leaf of the tree.
     *
     * @param bounds its bound as lod-meta.json gives it, or null
     * @param counts splats per level (0 where the leaf has none), index = level
     */
    public record Chunk(Bounds bounds, List<Long> counts) {
    }

    /** An axis-aligned box. */
    public record Bounds(double minX, double minY, double minZ, double maxX, double maxY, double maxZ) {
    }
}
