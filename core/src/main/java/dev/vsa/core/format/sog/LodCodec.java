package dev.vsa.core.format.sog;

import dev.vsa.core.format.SplatCodec;
import dev.vsa.core.lod.LodOptions;
import dev.vsa.core.lod.LodSetInfo;
import dev.vsa.core.splat.SplatFormat;
import dev.vsa.core.splat.SplatLayout;
import dev.vsa.core.splat.SplatReader;
import dev.vsa.core.splat.SplatWriter;
import dev.vsa.core.splat.WriteOptions;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * PlayCanvas streamed SOG: {@code lod-meta.json} and its SOG units ({@link LodMeta}, {@link LodReader},
 * {@link LodWriter}). Read as its finest level (as splat-transform 3.10.2 reads a set into one scene), written with the default {@link LodOptions} (levels made
 * from the one input). The public entry point is {@link dev.vsa.core.lod.LodSets}.
 */
public final class LodCodec implements SplatCodec {
    /** Creates the codec (stateless). */
    public LodCodec() {
    }

    @Override
    public SplatFormat format() {
        return SplatFormat.LOD;
    }

    @Override
    public Match sniff(ByteBuffer head, long fileSize, String fileName) {
        if (!fileName.toLowerCase(Locale.ROOT).endsWith("lod-meta.json")) {
            return Match.NO;
        }
        byte[] b = new byte[head.remaining()];
        head.duplicate().get(b);
        return new String(b, StandardCharsets.ISO_8859_1).contains("\"lodLevels\"") ? Match.BY_CONTENT : Match.BY_NAME;
    }

    @Override
    public SplatReader openReader(Path path) throws IOException {
        return LodReader.open(path, List.of(0));
    }

    @Override
    public SplatWriter openWriter(Path path, SplatLayout layout, WriteOptions options) {
        return new LodWriter(path, layout, layout.shDegree(), LodOptions.DEFAULTS);
    }

    /** See {@link dev.vsa.core.lod.LodSets#open}. */
    public static SplatReader open(Path lodMeta, List<Integer> levels) throws IOException {
        return LodReader.open(lodMeta, levels);
    }

    /** See {@link dev.vsa.core.lod.LodSets#describe}. */
    public static LodSetInfo describe(Path lodMeta) throws IOException {
        return LodReader.describe(lodMeta);
    }

    /**
     * A writer of a set at {@code lodMeta} storing SH up to {@code degree}; {@link Tagged#level} tags rows.
     */
    public static Tagged writer(Path lodMeta, int degree, LodOptions options) {
        return new Tagged(new LodWriter(lodMeta, SplatLayout.of(degree), degree, options));
    }

    /** A LOD writer taking rows of any layout (SH padded to the set's degree, extras dropped), tagged by level. */
    public static final class Tagged implements AutoCloseable {
        private final LodWriter w;

        private Tagged(LodWriter w) {
            this.w = w;
        }

        /** Tags the rows appended from now on with a level (levels are then the tags, ascending). */
        public void level(int level) {
            w.level(level);
        }

        /** Appends a batch (its SH degree at most the set's). */
        public void append(dev.vsa.core.splat.SplatBatch batch) throws IOException {
            w.append(batch);
        }

        /** Writes the set; returns splats per level written. */
        public long[] finish() throws IOException {
            w.finish();
            return w.result().counts();
        }

        /** Units written (after {@link #finish}). */
        public int files() {
            return w.result().files();
        }

        /** Leaves of the tree (after {@link #finish}). */
        public int chunks() {
            return w.result().leaves();
        }

        @Override
        public void close() throws IOException {
            w.close();
        }
    }
}
