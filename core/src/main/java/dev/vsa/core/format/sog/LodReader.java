package dev.vsa.core.format.sog;

import dev.vsa.core.error.ErrorCode;
import dev.vsa.core.error.MalformedInputException;
import dev.vsa.core.format.util.BatchChecks;
import dev.vsa.core.lod.LodSetInfo;
import dev.vsa.core.splat.SplatBatch;
import dev.vsa.core.splat.SplatFileInfo;
import dev.vsa.core.splat.SplatFormat;
import dev.vsa.core.splat.SplatLayout;
import dev.vsa.core.splat.SplatReader;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Reads the chosen levels of a streamed SOG ({@code lod-meta.json}) as one sequence of splats, as splat-transform
 * does: level by level (in the order chosen), within a level its files in lod-meta.json's order, each SOG unit
 * whole. One unit is decoded at a time, so memory follows the largest unit, not the set. Each unit's count must
 * equal the rows the tree's leaves take from it, and its SH degree the first unit's: both are checked once, at
 * open, from what the units declare (before any image is decoded), not again when a unit is read.
 */
final class LodReader implements SplatReader {
    private final SplatFileInfo info;
    private final List<Path> units;
    private int nextUnit;
    private SplatReader current;

    private LodReader(SplatFileInfo info, List<Path> units) {
        this.info = info;
        this.units = units;
    }

    static LodMeta meta(Path lodMeta) throws IOException {
        long size = Files.size(lodMeta);
        if (size > LodMeta.MAX_BYTES) {
            throw new MalformedInputException(ErrorCode.LIMIT_EXCEEDED, null, lodMeta.getFileName() + " is " + size
                    + " bytes, more than the " + LodMeta.MAX_BYTES + " accepted");
        }
        try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(lodMeta), 1 << 16)) {
            return LodMeta.parse(in);
        }
    }

    /**
     * The levels to read: all when {@code wanted} is empty, else each given one (a negative one counts from the
     * coarsest: -1 is the last), in the order given, without repeats.
     *
     * @throws IllegalArgumentException if a level is outside the set's
     */
    static List<Integer> resolve(List<Integer> wanted, int levels) {
        if (wanted == null || wanted.isEmpty()) {
            List<Integer> all = new ArrayList<>();
            for (int i = 0; i < levels; i++) {
                all.add(i);
            }
            return all;
        }
        LinkedHashSet<Integer> out = new LinkedHashSet<>();
        for (int w : wanted) {
            int l = w < 0 ? levels + w : w;
            if (l < 0 || l >= levels) {
                throw new IllegalArgumentException("level " + w + " is not in this set (levels 0.." + (levels - 1)
                        + ", or -1.." + (-levels) + " from the coarsest)");
            }
            out.add(l);
        }
        return List.copyOf(out);
    }

    static SplatReader open(Path lodMeta, List<Integer> wanted) throws IOException {
        LodMeta meta = meta(lodMeta);
        List<Integer> levels = resolve(wanted, meta.lodLevels());
        Path dir = lodMeta.toAbsolutePath().getParent();
        List<Path> units = new ArrayList<>();
        long count = 0;
        long bytes = Files.size(lodMeta);
        SplatLayout layout = null;
        // Each unit's own meta.json and image headers are checked against the rows the tree takes from it before any
        // unit is decoded: a set cannot declare more splats than its units hold.
        for (int level : levels) {
            for (int f = 0; f < meta.filenames().size(); f++) {
                if (meta.fileLevels()[f] == level) {
                    Path unit = dir.resolve(meta.filenames().get(f));
                    if (!Files.exists(unit)) {
                        throw new MalformedInputException(ErrorCode.SOG_BAD_META, "/filenames/" + f, "level " + level
                                + "'s unit " + meta.filenames().get(f) + " is missing beside " + lodMeta.getFileName());
                    }
                    SplatFileInfo u = SogReader.declared(unit);
                    if (u.count() != meta.fileRows()[f]) {
                        throw new MalformedInputException(ErrorCode.SOG_BAD_META, "/filenames/" + f, "the unit "
                                + meta.filenames().get(f) + " holds " + u.count() + " splats, the tree's leaves take "
                                + meta.fileRows()[f] + " from it");
                    }
                    if (layout == null) {
                        layout = u.layout();
                    } else if (!u.layout().equals(layout)) {
                        throw new MalformedInputException(ErrorCode.SOG_BAD_META, "/filenames/" + f, "the unit "
                                + meta.filenames().get(f) + " has SH degree " + u.layout().shDegree()
                                + ", the set's first unit " + layout.shDegree());
                    }
                    units.add(unit);
                    count += meta.fileRows()[f];
                    bytes += u.fileSize();
                }
            }
        }
        String variant = meta.lodLevels() + " levels, " + meta.leaves().size() + " chunks, " + meta.filenames().size()
                + " files" + (levels.size() == meta.lodLevels() ? "" : "; reading level" + (levels.size() > 1 ? "s " : " ")
                + levels.stream().map(String::valueOf).reduce((a, b) -> a + "," + b).orElse(""));
        SplatFileInfo info = new SplatFileInfo(SplatFormat.LOD, meta.version(), variant, count,
                layout == null ? SplatLayout.of(0) : layout, bytes);
        return new LodReader(info, units);
    }

    @Override
    public SplatFileInfo info() {
        return info;
    }

    @Override
    public int read(SplatBatch batch) throws IOException {
        BatchChecks.checkRead(info.layout(), batch);
        while (true) {
            if (current == null) {
                if (nextUnit == units.size()) {
                    batch.setSize(0);
                    return 0;
                }
                current = SogReader.open(units.get(nextUnit++)); // count and degree checked at open
            }
            int n = current.read(batch);
            if (n > 0) {
                return n;
            }
            current.close();
            current = null;
        }
    }

    @Override
    public void close() throws IOException {
        if (current != null) {
            current.close();
            current = null;
        }
    }

    /** What lod-meta.json says, for inspect. */
    static LodSetInfo describe(Path lodMeta) throws IOException {
        LodMeta m = meta(lodMeta);
        int levels = m.lodLevels();
        int[] files = new int[levels];
        int[] chunks = new int[levels];
        List<LodSetInfo.File> fileList = new ArrayList<>();
        for (int f = 0; f < m.filenames().size(); f++) {
            int l = m.fileLevels()[f];
            if (l >= 0) {
                files[l]++;
            }
            fileList.add(new LodSetInfo.File(m.filenames().get(f), l, m.fileRows()[f]));
        }
        double[] lo = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY};
        double[] hi = {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
        List<LodSetInfo.Chunk> chunkList = new ArrayList<>();
        for (LodMeta.Leaf leaf : m.leaves()) {
            Long[] counts = new Long[levels];
            java.util.Arrays.fill(counts, 0L);
            for (Map.Entry<Integer, LodMeta.Ref> e : leaf.lods().entrySet()) {
                counts[e.getKey()] = e.getValue().count();
                chunks[e.getKey()]++;
            }
            LodSetInfo.Bounds b = null;
            if (leaf.min() != null && leaf.max() != null) {
                b = new LodSetInfo.Bounds(leaf.min()[0], leaf.min()[1], leaf.min()[2], leaf.max()[0], leaf.max()[1],
                        leaf.max()[2]);
                for (int k = 0; k < 3; k++) {
                    lo[k] = Math.min(lo[k], leaf.min()[k]);
                    hi[k] = Math.max(hi[k], leaf.max()[k]);
                }
            }
            chunkList.add(new LodSetInfo.Chunk(b, List.of(counts)));
        }
        List<LodSetInfo.Level> levelList = new ArrayList<>();
        long total = 0;
        for (int l = 0; l < levels; l++) {
            levelList.add(new LodSetInfo.Level(l, m.counts()[l], files[l], chunks[l]));
            total += m.counts()[l];
        }
        LodSetInfo.Bounds all = Double.isFinite(lo[0]) ? new LodSetInfo.Bounds(lo[0], lo[1], lo[2], hi[0], hi[1], hi[2])
                : null;
        return new LodSetInfo(m.version(), m.generator(), levelList, fileList, chunkList, m.nodes(), all,
                m.environment(), total);
    }
}
