package dev.vsa.core.format.ply;

import dev.vsa.core.format.ChannelIo;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The rows a {@link CompressedPlyWriter} holds until {@link CompressedPlyWriter#finish()}: per splat only what the
 * format needs. Nine floats wait for their chunk's bounds (x y z, log-scales, f_dc); the rest is final already: the
 * packed rotation and one byte each for alpha and the SH coefficients. Rows fill blocks of {@code 2^blockShift}
 * rows, each three plain arrays (fast to fill and read, even before the JIT compiles the loops). Blocks stay in heap
 * while they fit the memory budget; past it each block goes to a temporary file beside the output (floats, ints,
 * bytes: {@link #recordBytes()} a row), mapped for reading once all rows are in, so memory no longer grows with the
 * file (the OS pages the rows).
 *
 * <p>Append: {@link #room()} rows fit the current block from row {@link #offset()} ({@link #floats()},
 * {@link #rotations()}, {@link #bytes()}), then {@link #advance(int)}. Read, after {@link #seal()}: {@link #gather}
 * (safe from many threads).
 */
final class CompressedPlyRows implements Closeable {
    /** Floats a row keeps: x y z, scale_0..2, f_dc_0..2. */
    static final int FLOATS = 9;
    /** Rows of a block (about 5.6 MB at SH degree 3). */
    static final int BLOCK_SHIFT = 16;
    /** Bytes of the spill file mapped as one buffer, at most (whole blocks). */
    static final long SEGMENT_BYTES = 1L << 30;

    private final int restCount;
    private final int rowBytes;
    private final long budget;
    private final int blockShift;
    private final int blockRows;
    private final Path dir;
    private final String name;
    private List<Block> blocks = new ArrayList<>();
    private Block block;
    private int inBlock;
    private long rows;
    private Path spillPath;
    private FileChannel spill;
    private ByteBuffer io;
    private ByteBuffer[] segments;
    private int blocksPerSegment;

    /** One block's rows: {@code f} nine floats a row, {@code rot} one int, {@code b} alpha then the SH bytes. */
    private record Block(float[] f, int[] rot, byte[] b) {
        Block(int rows, int rowBytes) {
            this(new float[rows * FLOATS], new int[rows], new byte[rows * rowBytes]);
        }
    }

    /**
     * @param restCount  SH coefficients kept a splat (one byte each)
     * @param budget     heap bytes the rows may take before they spill
     * @param blockShift log2 of a block's rows
     * @param dir        where the spill file goes (the output's folder)
     * @param name       the output's file name, for the spill file's
     */
    CompressedPlyRows(int restCount, long budget, int blockShift, Path dir, String name) {
        this.restCount = restCount;
        this.rowBytes = 1 + restCount;
        this.budget = budget;
        this.blockShift = blockShift;
        this.blockRows = 1 << blockShift;
        this.dir = dir;
        this.name = name;
        this.block = new Block(Math.min(blockRows, 1024), rowBytes);
    }

    /** Bytes a row takes (in heap and in the spill file). */
    int recordBytes() {
        return 4 * FLOATS + 4 + rowBytes;
    }

    /** Rows appended so far. */
    long count() {
        return rows;
    }

    /** Whether the rows went to a file (the budget was exceeded). */
    boolean spilled() {
        return spill != null;
    }

    /** Rows that fit the current block from row {@link #offset()} (at least 1). */
    int room() {
        int capacity = block.rot.length;
        if (inBlock == capacity && capacity < blockRows) { // the first block grows up to a full one
            int grown = Math.min(capacity * 2, blockRows);
            Block b = new Block(grown, rowBytes);
            System.arraycopy(block.f, 0, b.f, 0, block.f.length);
            System.arraycopy(block.rot, 0, b.rot, 0, block.rot.length);
            System.arraycopy(block.b, 0, b.b, 0, block.b.length);
            block = b;
            capacity = grown;
        }
        return capacity - inBlock;
    }

    /** The current block's floats ({@link #FLOATS} a row). */
    float[] floats() {
        return block.f;
    }

    /** The current block's packed rotations. */
    int[] rotations() {
        return block.rot;
    }

    /** The current block's bytes: a row's alpha, then its SH bytes. */
    byte[] bytes() {
        return block.b;
    }

    /** The row of the current block where the next rows go. */
    int offset() {
        return inBlock;
    }

    /** Commits {@code n} rows written at {@link #offset()}. */
    void advance(int n) throws IOException {
        inBlock += n;
        rows += n;
        if (inBlock == blockRows) {
            if (spill == null && (long) (blocks.size() + 2) * blockRows * recordBytes() > budget) {
                spillPath = Files.createTempFile(dir, "." + name + ".", ".rows.tmp");
                spill = FileChannel.open(spillPath, StandardOpenOption.READ, StandardOpenOption.WRITE,
                        StandardOpenOption.DELETE_ON_CLOSE);
                io = ByteBuffer.allocate(blockRows * recordBytes()).order(ByteOrder.LITTLE_ENDIAN);
                for (Block b : blocks) {
                    spill(b);
                }
                blocks.clear();
            }
            if (spill != null) {
                spill(block);
            } else {
                blocks.add(block);
                block = new Block(blockRows, rowBytes);
            }
            inBlock = 0;
        }
    }

    /** Appends a whole block to the spill file: its floats, ints, then bytes. */
    private void spill(Block b) throws IOException {
        io.clear();
        io.asFloatBuffer().put(b.f);
        io.position(b.f.length * 4);
        io.asIntBuffer().put(b.rot);
        io.position(b.f.length * 4 + b.rot.length * 4);
        io.put(b.b);
        io.flip();
        ChannelIo.writeFully(spill, io);
    }

    /** Ends appending; the rows become readable. */
    void seal() throws IOException {
        if (spill != null) {
            if (inBlock > 0) {
                spill(block); // a whole block (its tail unused): every block has the same layout
            }
            block = null;
            io = null;
            long blockBytes = (long) blockRows * recordBytes();
            blocksPerSegment = (int) Math.max(1, SEGMENT_BYTES / blockBytes);
            long nblocks = (rows + blockRows - 1) >>> blockShift;
            int n = (int) ((nblocks + blocksPerSegment - 1) / blocksPerSegment);
            segments = new ByteBuffer[n];
            for (int s = 0; s < n; s++) {
                long first = (long) s * blocksPerSegment;
                long len = Math.min(blocksPerSegment, nblocks - first) * blockBytes;
                segments[s] = spill.map(FileChannel.MapMode.READ_ONLY, first * blockBytes, len)
                        .order(ByteOrder.LITTLE_ENDIAN);
            }
        } else {
            blocks.add(block);
            block = null;
        }
    }

    /** Blocks holding the rows (after {@link #seal()}). */
    int blockCount() {
        return (int) ((rows + blockRows - 1) >>> blockShift);
    }

    /**
     * Block {@code b}'s floats ({@link #FLOATS} a row): the block's own array, or {@code scratch} filled from the
     * spill file (at least {@code 9 << blockShift} long).
     */
    float[] blockFloats(int b, float[] scratch) {
        if (spill == null) {
            return blocks.get(b).f;
        }
        ByteBuffer seg = segments[b / blocksPerSegment];
        int base = (int) ((long) (b % blocksPerSegment) * blockRows * recordBytes());
        seg.slice(base, blockRows * FLOATS * 4).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(scratch, 0,
                blockRows * FLOATS);
        return scratch;
    }

    /**
     * Copies row {@code row}'s nine floats to {@code f[fo]}, its rotation to {@code rot[ro]}, its alpha to
     * {@code alpha[ro]} and its SH bytes to {@code sh[so]}.
     */
    void gather(long row, float[] f, int fo, int[] rot, byte[] alpha, int ro, byte[] sh, int so) {
        int b = (int) (row >>> blockShift);
        int j = (int) row & blockRows - 1;
        if (spill == null) {
            Block k = blocks.get(b);
            System.arraycopy(k.f, j * FLOATS, f, fo, FLOATS);
            rot[ro] = k.rot[j];
            alpha[ro] = k.b[j * rowBytes];
            if (restCount > 0) {
                System.arraycopy(k.b, j * rowBytes + 1, sh, so, restCount);
            }
            return;
        }
        ByteBuffer seg = segments[b / blocksPerSegment];
        int base = (b % blocksPerSegment) * blockRows * recordBytes();
        int at = base + j * FLOATS * 4;
        for (int k = 0; k < FLOATS; k++) {
            f[fo + k] = seg.getFloat(at + 4 * k);
        }
        rot[ro] = seg.getInt(base + blockRows * FLOATS * 4 + 4 * j);
        int bytes = base + blockRows * (FLOATS * 4 + 4) + j * rowBytes;
        alpha[ro] = seg.get(bytes);
        if (restCount > 0) {
            seg.get(bytes + 1, sh, so, restCount);
        }
    }

    @Override
    public void close() throws IOException {
        segments = null;
        block = null;
        blocks = null;
        if (spill != null) {
            spill.close(); // deletes the file (where a live mapping allows: else at exit)
        }
    }
}
