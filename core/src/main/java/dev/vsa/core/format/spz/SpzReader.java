package dev.vsa.core.format.spz;

import dev.vsa.core.error.ErrorCode;
import dev.vsa.core.error.MalformedInputException;
import dev.vsa.core.format.PlyRows;
import dev.vsa.core.format.util.AxisFlips;
import dev.vsa.core.format.util.BatchChecks;
import dev.vsa.core.format.util.SpillBuffer;
import dev.vsa.core.splat.SplatBatch;
import dev.vsa.core.splat.SplatFileInfo;
import dev.vsa.core.splat.SplatFormat;
import dev.vsa.core.splat.SplatLayout;
import dev.vsa.core.splat.SplatReader;

import io.airlift.compress.zstd.ZstdInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Reads SPZ versions 1 to 4 as the nianticlabs/spz reference does (load-spz.cc at commit 21715c3):
 * <ul>
 *   <li>legacy (1-3, and 4 inside gzip as the reference tolerates): a 16-byte header and the six attribute
 *       columns one after the other, gzip-compressed or (as older tools wrote) stored raw;</li>
 *   <li>4: a 32-byte plaintext header, optional extension records, a table of contents and one zstd stream per
 *       non-empty attribute, read here in lockstep so no whole column is held in memory.</li>
 * </ul>
 * A gzip payload larger than {@link #inMemoryLimit()} is inflated once into a temporary file.
 *
 * <p>Frame: a file that declares no frame is read unconverted, in the 3DGS PLY's frame (RDF), as
 * splat-transform 3.7.0 and the reference's own command-line tools read and write SPZ (the reference README instead
 * calls SPZ RUB by default, which none of those tools applies). A v4 {@code SPZ_ADOBE_coordinate_system} extension
 * (0xADBE0003) naming another frame is honoured: rows are converted to RDF by negating axes (positions, quaternion
 * axis terms, odd SH coefficients); a rotated frame (9-16, y and z swapped) is left to {@link SpzCodec}, which
 * converts it with the general {@code Transform.Frame} (see {@link #rotatedFrame()}).
 *
 * <p>A conversion to PLY takes rows through {@link PlyRows}: each call takes its rows' bytes from the column streams
 * in row order (under a lock, waiting for the calls of earlier rows), then expands them straight into PLY's row
 * order on its own thread, so decompression, expansion and writing run on all cores with no batch reordered
 * between them.
 */
final class SpzReader implements SplatReader, PlyRows {
    static final int MAGIC = 0x5053474e;
    static final int LEGACY_HEADER = 16, NGSP_HEADER = 32;
    static final int FLAG_ANTIALIASED = 1, FLAG_EXTENSIONS = 2;
    static final int EXT_COORDINATE_SYSTEM = 0xADBE0003;
    /**
     * SPZ frames (the reference's CoordinateSystem enum): RUB = 4, RDF = 6; UNDECLARED (the enum's UNSPECIFIED, or
     * no extension) means the PLY's frame, read without conversion.
     */
    static final int UNDECLARED = 0, RUB = 4, RDF = 6;
    private static final String[] FRAME_NAMES = {"unspecified", "LDB", "RDB", "LUB", "RUB", "LDF", "RDF", "LUF", "RUF",
        "LFD", "RFD", "LFU", "RFU", "LBD", "RBD", "LBU", "RBU"};
    /** Largest count accepted, as the reference: numPoints is an int32 there. */
    static final long MAX_SPLATS = Integer.MAX_VALUE;
    /** The reference's bound on a zstd stream's ratio, used to reject absurd counts in small files. */
    static final long MAX_ZSTD_RATIO = 1024;
    /** Deflate cannot expand more than about 1032:1. */
    static final long MAX_DEFLATE_RATIO = 1032;
    /** Inflated legacy payloads up to this size (and an eighth of the heap) stay in heap; larger ones go to a temporary file. */
    static final long IN_MEMORY_PAYLOAD = 64L << 20;
    /** Extension records after a legacy payload are capped at this. */
    static final int MAX_LEGACY_EXTENSIONS = 1 << 20;
    private static final String[] ATTRIBUTES = {"positions", "alphas", "colors", "scales", "rotations", "sh"};

    private final String name;
    private final FileChannel channel;
    /** Where the SPZ data starts in the channel (a container's region), and whether closing this closes the channel. */
    private final long base;
    private final boolean ownsChannel;
    private final SplatFileInfo info;
    private final int version;
    private final int fileShDim;
    private final int fractionalBits;
    private final int[] bytesPer = new int[6];
    private final Column[] columns = new Column[6];
    private final byte[][] scratch = new byte[6][];
    /**
     * {@link #readPly}: rows of each column taken so far. Only the call whose first row is the next one untaken of a
     * column reads that column (calls are for distinct rows), so the count alone hands each column from call to call.
     */
    private final AtomicLongArray taken = new AtomicLongArray(6);
    /** What a {@link #readPly} call failed with: the calls waiting for later rows fail too. */
    private volatile Throwable broken;
    /** Calls of {@link #readPly} waiting (on {@link #progress}) for a column of earlier rows to be taken. */
    private final AtomicInteger waiting = new AtomicInteger();
    private final Object progress = new Object();
    /** {@link #readPly}: each thread's column bytes. */
    private final ThreadLocal<byte[][]> plyScratch = ThreadLocal.withInitial(() -> new byte[6][]);

    private final float sx, sy, sz;
    private final int frame;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private long done;
    private boolean finished;

    private SpzReader(String name, FileChannel channel, long base, long fileSize, int padding, boolean ownsChannel,
                      java.util.function.LongConsumer countCheck) throws IOException {
        this.name = name;
        this.channel = channel;
        this.base = base;
        this.ownsChannel = ownsChannel;
        // A file refused part-way must not leave what was opened so far: a gzip stream, a spill file of up to
        // the declared body (a small bomb with a bad CRC would otherwise leave its whole inflated size on disk).
        try {
            ByteBuffer head = ByteBuffer.allocate((int) Math.min(NGSP_HEADER, fileSize)).order(ByteOrder.LITTLE_ENDIAN);
            readAt(head, 0);
            head.flip();
            String container;
            long count;
            int shDegree, flags, frame;
            if (head.remaining() >= 2 && (head.get(0) & 0xff) == 0x1f && (head.get(1) & 0xff) == 0x8b) {
                GzipSource gz = new GzipSource(channel, base, fileSize, padding);
                resources.add(gz);
                byte[] h = new byte[LEGACY_HEADER];
                gz.readFully(h, 0, LEGACY_HEADER);
                ByteBuffer hb = ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN);
                Legacy l = parseLegacy(hb, fileSize, true);
                countCheck.accept(l.count);
                version = l.version;
                fileShDim = shDim(l.shDegree);
                fractionalBits = l.fractionalBits;
                fillBytesPer();
                long body = l.count * rowBytes();
                PayloadSource src;
                boolean inMemory = body <= inMemoryLimit();
                if (!inMemory) {
                    // Inflating this much costs seconds: a bomb (a stream longer or shorter than the count implies)
                    // is refused first by the gzip trailer's size field.
                    gz.checkTrailerSize(LEGACY_HEADER + body, (l.flags & FLAG_EXTENSIONS) != 0 ? MAX_LEGACY_EXTENSIONS : 0);
                }
                if (inMemory) {
                    byte[] payload = new byte[(int) body];
                    gz.readFully(payload, 0, payload.length);
                    src = (pos, dst, off, len) -> System.arraycopy(payload, (int) pos, dst, off, len);
                } else {
                    SpillBuffer spill = new SpillBuffer(0, null);
                    resources.add(spill);
                    byte[] buf = new byte[1 << 20];
                    for (long left = body; left > 0; ) {
                        int n = (int) Math.min(buf.length, left);
                        gz.readFully(buf, 0, n);
                        spill.write(buf, 0, n);
                        left -= n;
                    }
                    src = (pos, dst, off, len) -> spill.read(pos, dst, off, len);
                }
                frame = UNDECLARED;
                if ((l.flags & FLAG_EXTENSIONS) != 0) {
                    byte[] ext = new byte[MAX_LEGACY_EXTENSIONS];
                    int n = 0;
                    for (int r; n < ext.length && (r = gz.read(ext, n, ext.length - n)) > 0; ) {
                        n += r;
                    }
                    frame = parseExtensions(ByteBuffer.wrap(ext, 0, n).slice().order(ByteOrder.LITTLE_ENDIAN), LEGACY_HEADER + body);
                }
                gz.finish();
                legacyColumns(src, 0, l.count);
                container = "gzip";
                count = l.count;
                shDegree = l.shDegree;
                flags = l.flags;
            } else if (head.remaining() < LEGACY_HEADER || head.getInt(0) != MAGIC) {
                throw MalformedInputException.atByte(ErrorCode.SPZ_BAD_MAGIC, 0, "not an SPZ file: it starts with neither 'NGSP' nor a gzip header");
            } else if (head.getInt(4) >= 1 && head.getInt(4) <= 3) {
                // A raw legacy payload, as some older tools stored it.
                Legacy l = parseLegacy(head, fileSize, false);
                countCheck.accept(l.count);
                version = l.version;
                fileShDim = shDim(l.shDegree);
                fractionalBits = l.fractionalBits;
                fillBytesPer();
                long need = LEGACY_HEADER + l.count * rowBytes();
                if (fileSize < need) {
                    throw MalformedInputException.atByte(ErrorCode.SPZ_TRUNCATED, fileSize,
                            "the file holds " + fileSize + " bytes, its header needs " + need);
                }
                if (fileSize - need > padding && (l.flags & FLAG_EXTENSIONS) == 0) {
                    throw MalformedInputException.atByte(ErrorCode.SPZ_TRAILING_DATA, need, (fileSize - need) + " bytes follow the SPZ payload");
                }
                frame = UNDECLARED;
                if (fileSize > need && (l.flags & FLAG_EXTENSIONS) != 0) {
                    if (fileSize - need > MAX_LEGACY_EXTENSIONS) {
                        throw MalformedInputException.atByte(ErrorCode.LIMIT_EXCEEDED, need, "extension records longer than " + MAX_LEGACY_EXTENSIONS + " bytes");
                    }
                    ByteBuffer ext = ByteBuffer.allocate((int) (fileSize - need)).order(ByteOrder.LITTLE_ENDIAN);
                    readAt(ext, need);
                    ext.flip();
                    frame = parseExtensions(ext, need);
                }
                legacyColumns((pos, dst, off, len) -> readFullyAt(dst, off, len, LEGACY_HEADER + pos), 0, l.count);
                container = "uncompressed";
                count = l.count;
                shDegree = l.shDegree;
                flags = l.flags;
            } else {
                int v = head.getInt(4);
                if (v != 4) {
                    throw MalformedInputException.atByte(ErrorCode.SPZ_UNSUPPORTED_VERSION, 4, "SPZ version " + Integer.toUnsignedString(v) + " (vsa reads 1 to 4)");
                }
                if (head.remaining() < NGSP_HEADER) {
                    throw MalformedInputException.atByte(ErrorCode.SPZ_TRUNCATED, fileSize, "the file ends inside the 32-byte SPZ v4 header");
                }
                version = 4;
                count = Integer.toUnsignedLong(head.getInt(8));
                shDegree = head.get(12) & 0xff;
                fractionalBits = head.get(13) & 0xff;
                flags = head.get(14) & 0xff;
                int numStreams = head.get(15) & 0xff;
                long toc = Integer.toUnsignedLong(head.getInt(16));
                checkCommon(count, shDegree, fractionalBits);
                countCheck.accept(count);
                if (count > fileSize * MAX_ZSTD_RATIO / 9) {
                    throw MalformedInputException.atByte(ErrorCode.LIMIT_EXCEEDED, 8,
                            count + " splats cannot fit in a " + fileSize + "-byte SPZ v4 file");
                }
                fileShDim = shDim(shDegree);
                fillBytesPer();
                int expectStreams = 0;
                for (int a = 0; a < 6; a++) {
                    if (bytesPer[a] > 0 && count > 0) {
                        expectStreams++;
                    }
                }
                if (numStreams != expectStreams) {
                    throw MalformedInputException.atByte(ErrorCode.SPZ_BAD_HEADER, 15,
                            "the header declares " + numStreams + " streams, " + expectStreams + " are needed for SH degree " + shDegree);
                }
                if (toc < NGSP_HEADER || toc + 16L * numStreams > fileSize) {
                    throw MalformedInputException.atByte(ErrorCode.SPZ_TRUNCATED, 16,
                            "table of contents at byte " + toc + " does not fit in the " + fileSize + "-byte file");
                }
                frame = UNDECLARED;
                if ((flags & FLAG_EXTENSIONS) != 0 && toc > NGSP_HEADER) {
                    ByteBuffer ext = ByteBuffer.allocate((int) (toc - NGSP_HEADER)).order(ByteOrder.LITTLE_ENDIAN);
                    readAt(ext, NGSP_HEADER);
                    ext.flip();
                    frame = parseExtensions(ext, NGSP_HEADER);
                }
                ByteBuffer tocBuf = ByteBuffer.allocate(16 * numStreams).order(ByteOrder.LITTLE_ENDIAN);
                readAt(tocBuf, toc);
                tocBuf.flip();
                long offset = toc + 16L * numStreams;
                int s = 0;
                for (int a = 0; a < 6; a++) {
                    if (bytesPer[a] == 0 || count == 0) {
                        columns[a] = Column.EMPTY;
                        continue;
                    }
                    long compressed = tocBuf.getLong(16 * s);
                    long uncompressed = tocBuf.getLong(16 * s + 8);
                    long expect = count * bytesPer[a];
                    if (uncompressed != expect) {
                        throw MalformedInputException.atByte(ErrorCode.SPZ_BAD_HEADER, toc + 16L * s + 8,
                                "the " + ATTRIBUTES[a] + " stream's size is " + Long.toUnsignedString(uncompressed) + ", " + expect + " expected");
                    }
                    if (compressed < 0 || compressed > fileSize - offset) {
                        throw MalformedInputException.atByte(ErrorCode.SPZ_TRUNCATED, toc + 16L * s,
                                "the " + ATTRIBUTES[a] + " stream (" + Long.toUnsignedString(compressed) + " bytes at " + offset + ") runs past the end of the file");
                    }
                    columns[a] = new ZstdColumn(ATTRIBUTES[a], offset, compressed, expect);
                    offset += compressed;
                    s++;
                }
                if (fileSize - offset > padding) {
                    throw MalformedInputException.atByte(ErrorCode.SPZ_TRAILING_DATA, offset, (fileSize - offset) + " bytes follow the last SPZ stream");
                }
                container = "zstd";
            }
            info = new SplatFileInfo(SplatFormat.SPZ, version, variant(container, flags, frame, shDegree), count,
                    SplatLayout.of(Math.min(shDegree, 3)), fileSize);
            float[] s = flipsToRdf(frame);
            this.frame = frame;
            sx = s[0];
            sy = s[1];
            sz = s[2];
        } catch (IOException | RuntimeException | Error e) {
            try {
                close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /**
     * Opens an SPZ file; its header, table of contents and (for gzip) the whole compressed stream are checked here.
     * Up to {@code padding} bytes after the SPZ data (a container's alignment) are ignored; more are trailing data.
     *
     * @throws MalformedInputException if the file is not a valid SPZ
     */
    static SpzReader open(Path path, int padding) throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
        try {
            long size = ch.size();
            if (size == 0) {
                throw new MalformedInputException(ErrorCode.EMPTY_FILE, null, path.getFileName() + " is empty");
            }
            return new SpzReader(path.toString(), ch, 0, size, padding, true, count -> { });
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /**
     * Opens SPZ data stored in {@code [offset, offset + length)} of a channel another owner keeps open (a glTF
     * buffer), read in place; closing the reader leaves the channel open. {@code countCheck} sees the header's
     * splat count before any payload is inflated or decompressed, and may refuse it by throwing.
     */
    static SpzReader open(FileChannel channel, long offset, long length, int padding, String name,
                          java.util.function.LongConsumer countCheck) throws IOException {
        if (length == 0) {
            throw new MalformedInputException(ErrorCode.EMPTY_FILE, null, name + " is empty");
        }
        return new SpzReader(name, channel, offset, length, padding, false, countCheck);
    }

    /** Largest inflated legacy body kept in heap: {@link #IN_MEMORY_PAYLOAD}, less in a small heap (64 MiB at -Xmx512m). */
    static long inMemoryLimit() {
        return Math.min(IN_MEMORY_PAYLOAD, Runtime.getRuntime().maxMemory() / 8);
    }

    private record Legacy(int version, long count, int shDegree, int fractionalBits, int flags) {
    }

    private Legacy parseLegacy(ByteBuffer h, long fileSize, boolean gzip) {
        if (h.getInt(0) != MAGIC) {
            throw new MalformedInputException(ErrorCode.SPZ_BAD_MAGIC, "payload byte 0", "the SPZ payload does not start with 'NGSP'");
        }
        int v = h.getInt(4);
        if (v < 1 || v > (gzip ? 4 : 3)) {
            throw new MalformedInputException(ErrorCode.SPZ_UNSUPPORTED_VERSION, "payload byte 4",
                    "SPZ version " + Integer.toUnsignedString(v) + " (vsa reads 1 to 4)");
        }
        long count = Integer.toUnsignedLong(h.getInt(8));
        int shDegree = h.get(12) & 0xff;
        int fb = h.get(13) & 0xff;
        checkCommon(count, shDegree, fb);
        if (gzip && count * 9 > (fileSize + 64) * MAX_DEFLATE_RATIO) {
            throw new MalformedInputException(ErrorCode.LIMIT_EXCEEDED, "payload byte 8",
                    count + " splats cannot fit in a " + fileSize + "-byte gzip stream");
        }
        return new Legacy(v, count, shDegree, fb, h.get(14) & 0xff);
    }

    private static void checkCommon(long count, int shDegree, int fb) {
        if (count > MAX_SPLATS) {
            throw new MalformedInputException(ErrorCode.LIMIT_EXCEEDED, "header byte 8", count + " splats (at most " + MAX_SPLATS + ")");
        }
        if (shDegree > 4) {
            throw new MalformedInputException(ErrorCode.SPZ_BAD_HEADER, "header byte 12", "SH degree " + shDegree + " (SPZ allows 0 to 4)");
        }
        if (fb > 23) {
            throw new MalformedInputException(ErrorCode.SPZ_BAD_HEADER, "header byte 13", fb + " fractional bits in a 24-bit position");
        }
    }

    private static int shDim(int degree) {
        return (degree + 1) * (degree + 1) - 1;
    }

    private void fillBytesPer() {
        bytesPer[0] = version == 1 ? 6 : 9;
        bytesPer[1] = 1;
        bytesPer[2] = 3;
        bytesPer[3] = 3;
        bytesPer[4] = version >= 3 ? 4 : 3;
        bytesPer[5] = fileShDim * 3;
    }

    private long rowBytes() {
        long n = 0;
        for (int b : bytesPer) {
            n += b;
        }
        return n;
    }

    private void legacyColumns(PayloadSource src, long base, long count) {
        long off = base;
        for (int a = 0; a < 6; a++) {
            columns[a] = bytesPer[a] == 0 ? Column.EMPTY : new PayloadColumn(src, off);
            off += count * bytesPer[a];
        }
    }

    /** Parses ILV extension records ({@code u32 type, u32 length, payload}); returns the frame they declare. */
    private static int parseExtensions(ByteBuffer ext, long fileOffset) {
        int frame = UNDECLARED;
        while (ext.remaining() >= 8) {
            int at = ext.position();
            int type = ext.getInt();
            long len = Integer.toUnsignedLong(ext.getInt());
            if (len > ext.remaining()) {
                throw MalformedInputException.atByte(ErrorCode.SPZ_BAD_HEADER, fileOffset + at,
                        "extension record 0x" + Integer.toHexString(type) + " of " + len + " bytes runs past the extension area");
            }
            if (type == EXT_COORDINATE_SYSTEM && len >= 4) {
                int f = ext.getInt(ext.position());
                if (f < 0 || f > 16) {
                    throw MalformedInputException.atByte(ErrorCode.SPZ_BAD_HEADER, fileOffset + at + 8, "unknown coordinate system " + f);
                }
                frame = f;
            }
            ext.position(ext.position() + (int) len);
        }
        return frame;
    }

    /**
     * Axis signs taking data stored in {@code frame} (the reference's CoordinateSystem, or UNDECLARED: no change)
     * to the PLY's RDF.
     */
    static float[] flipsToRdf(int frame) {
        if (frame == UNDECLARED) {
            return new float[] {1f, 1f, 1f};
        }
        if (frame > 8) {
            return new float[] {1f, 1f, 1f}; // rotated: converted by SpzCodec
        }
        int a = frame - 1, b = RDF - 1;
        float[] s = new float[3];
        for (int i = 0; i < 3; i++) {
            s[i] = ((a >> i) & 1) == ((b >> i) & 1) ? 1f : -1f;
        }
        return s;
    }

    /** The name of the rotated frame (9-16: LFD ... RBU) the file declares, or null for any other frame. */
    String rotatedFrame() {
        return frame > 8 ? FRAME_NAMES[frame] : null;
    }

    private static String variant(String container, int flags, int frame, int shDegree) {
        StringBuilder sb = new StringBuilder(container);
        if ((flags & FLAG_ANTIALIASED) != 0) {
            sb.append(", antialiased");
        }
        if (frame != UNDECLARED) {
            sb.append(", frame ").append(FRAME_NAMES[frame]);
        }
        if (shDegree > 3) {
            sb.append(", SH degree 4 read as 3");
        }
        return sb.toString();
    }

    @Override
    public SplatFileInfo info() {
        return info;
    }

    @Override
    public int read(SplatBatch batch) throws IOException {
        BatchChecks.checkRead(info.layout(), batch);
        int n = (int) Math.min(batch.capacity(), info.count() - done);
        if (n <= 0) {
            finishColumns();
            batch.setSize(0);
            return 0;
        }
        take(scratch, n);
        done += n;
        decode(scratch, n, batch.array(), batch.stride(), SplatLayout.X, SplatLayout.ROT_W, SplatLayout.SCALE_0,
                SplatLayout.DC_0, SplatLayout.OPACITY, SplatLayout.REST, -1);
        batch.setSize(n);
        return n;
    }

    /**
     * Rows {@code [first, first + n)} in PLY's order. Rows are asked for once each, in order of {@code first}: a call
     * takes each column's bytes when the calls for earlier rows have taken theirs from that column, so one thread
     * decompresses a column while another decompresses the next block's rows of an earlier one. Not mixed with
     * {@link #read}.
     */
    @Override
    public void readPly(long first, int n, float[] rows) throws IOException {
        if (first < 0 || n < 0 || first + n > info.count()) {
            throw new IndexOutOfBoundsException("rows " + first + " + " + n + " of " + info.count());
        }
        byte[][] cols = plyScratch.get();
        int pending = 0;
        for (int a = 0; a < 6; a++) {
            if (bytesPer[a] > 0) {
                pending |= 1 << a;
            }
        }
        // each column whose turn it is, in any order: with two threads, one reads the SH stream of a block while the
        // other reads the small columns of the next
        while (pending != 0) {
            int ready = ready(pending, first, n);
            if (ready == 0) {
                awaitTurn(pending, first, n);
                continue;
            }
            for (int a = 0; a < 6; a++) {
                if ((ready & 1 << a) != 0) {
                    take(a, first, n, cols);
                    pending &= ~(1 << a);
                }
            }
        }
        int rest = info.layout().restCount();
        // x y z, normals (zeros), f_dc, f_rest, opacity, scales, rotation
        decode(cols, n, rows, 17 + rest, 0, 13 + rest, 10 + rest, 6, 9 + rest, 9, 3);
    }

    /** Of the columns in {@code pending}, those whose next untaken row is {@code first}; fails as a failed call did. */
    private int ready(int pending, long first, int n) throws IOException {
        Throwable e = broken;
        if (e != null) {
            // the same exception: whichever thread's failure the caller reports, it is the reader's
            switch (e) {
                case IOException io -> throw io;
                case RuntimeException re -> throw re;
                case Error er -> throw er;
                default -> throw new IllegalStateException(e);
            }
        }
        int ready = 0;
        for (int a = 0; a < 6; a++) {
            if ((pending & 1 << a) != 0) {
                long t = taken.get(a);
                if (t == first) {
                    ready |= 1 << a;
                } else if (t > first) {
                    throw new IllegalStateException("rows " + first + " + " + n + " asked for again (rows up to " + t + " are taken)");
                }
            }
        }
        return ready;
    }

    /**
     * Waits until a column of {@code pending} is ready (or a call failed). The wait is short (another thread's read of
     * one column's rows, a fraction of a millisecond): spun first, as waking a parked thread can cost as much.
     */
    private void awaitTurn(int pending, long first, int n) throws IOException {
        for (int i = 0; i < SPINS; i++) {
            if (ready(pending, first, n) != 0) {
                return;
            }
            Thread.onSpinWait();
        }
        synchronized (progress) {
            waiting.incrementAndGet();
            try {
                while (ready(pending, first, n) == 0) {
                    progress.wait();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for earlier rows");
            } finally {
                waiting.decrementAndGet();
            }
        }
    }

    /** Spins of {@link #awaitTurn} before it parks: about 50-150 microseconds. */
    private static final int SPINS = 1 << 12;

    /** Column {@code a}'s bytes of rows {@code [first, first + n)} into {@code cols[a]}; then the column is the next call's. */
    private void take(int a, long first, int n, byte[][] cols) throws IOException {
        try {
            int len = n * bytesPer[a];
            if (cols[a] == null || cols[a].length < len) {
                cols[a] = new byte[len];
            }
            columns[a].read(cols[a], len);
            if (first + n == info.count()) {
                columns[a].finish();
            }
        } catch (IOException | RuntimeException | Error e) {
            broken = e;
            synchronized (progress) {
                progress.notifyAll();
            }
            throw e;
        }
        taken.set(a, first + n);
        // (a waiter counts itself before it checks the columns: either it sees this column taken or this sees it)
        if (waiting.get() > 0) {
            synchronized (progress) {
                progress.notifyAll();
            }
        }
    }

    /** The next {@code n} rows' bytes of every column into {@code cols}, grown as needed. */
    private void take(byte[][] cols, int n) throws IOException {
        for (int a = 0; a < 6; a++) {
            int len = n * bytesPer[a];
            if (len == 0) {
                continue;
            }
            if (cols[a] == null || cols[a].length < len) {
                cols[a] = new byte[len];
            }
            columns[a].read(cols[a], len);
        }
    }

    /** Checks once, after the last row, that no column holds more. */
    private void finishColumns() throws IOException {
        if (!finished) {
            for (Column c : columns) {
                c.finish();
            }
            finished = true;
        }
    }

    /** Each byte's value through {@link SpzCoding}'s decoders, looked up instead of computed per splat. */
    static final float[] SCALE = new float[256], COLOR = new float[256], ALPHA = new float[256], SH = new float[256];

    static {
        for (int b = 0; b < 256; b++) {
            SCALE[b] = SpzCoding.decodeScale(b);
            COLOR[b] = SpzCoding.decodeColor(b);
            ALPHA[b] = SpzCoding.decodeAlpha(b);
            SH[b] = SpzCoding.decodeSh(b);
        }
    }

    /**
     * Expands {@code n} rows of column bytes into rows of {@code stride} floats at {@code rows[0]}, each attribute at
     * its given offset (position x y z, rotation w x y z, scales, f_dc and f_rest consecutive from there): the same
     * floats for a batch and for PLY's row order. One attribute at a time: short loops the JIT compiles early.
     */
    private void decode(byte[][] cols, int n, float[] rows, int stride, int atPos, int atRot, int atScale, int atDc,
                        int atOpacity, int atRest, int atZeros) {
        // a chunk of rows at a time: its floats stay in the core's cache across the attribute loops (over a whole
        // 1 MB block they went to the shared cache and back once per loop, and two threads decoding at once were
        // each about half as fast)
        for (int from = 0; from < n; from += DECODE_CHUNK) {
            decodeRange(cols, from, Math.min(n, from + DECODE_CHUNK), rows, stride, atPos, atRot, atScale, atDc,
                    atOpacity, atRest, atZeros);
        }
        if (sx != 1f || sy != 1f || sz != 1f) {
            AxisFlips.apply(rows, stride, n, info.layout().restPerChannel(), atPos, atRot, atRest, sx, sy, sz);
        }
    }

    /** Rows decoded per chunk: 256 SH3 rows are 62 KB of floats. */
    private static final int DECODE_CHUNK = 256;

    private void decodeRange(byte[][] cols, int from, int to, float[] rows, int stride, int atPos, int atRot,
                             int atScale, int atDc, int atOpacity, int atRest, int atZeros) {
        byte[] pos = cols[0], alpha = cols[1], color = cols[2], scale = cols[3], rot = cols[4], sh = cols[5];
        int first = from * stride;
        if (atZeros >= 0) {
            for (int i = from, o = first + atZeros; i < to; i++, o += stride) {
                rows[o] = 0;
                rows[o + 1] = 0;
                rows[o + 2] = 0;
            }
        }
        if (version == 1) {
            for (int i = from, o = first + atPos; i < to; i++, o += stride) {
                for (int j = 0; j < 3; j++) {
                    int p = i * 6 + j * 2;
                    rows[o + j] = SpzCoding.halfToFloat((pos[p] & 0xff) | ((pos[p + 1] & 0xff) << 8));
                }
            }
        } else {
            float posScale = 1.0f / (1 << fractionalBits);
            for (int i = from, o = first + atPos, p = from * 9; i < to; i++, o += stride, p += 9) {
                // the third byte sign-extends
                rows[o] = ((pos[p] & 0xff) | ((pos[p + 1] & 0xff) << 8) | (pos[p + 2] << 16)) * posScale;
                rows[o + 1] = ((pos[p + 3] & 0xff) | ((pos[p + 4] & 0xff) << 8) | (pos[p + 5] << 16)) * posScale;
                rows[o + 2] = ((pos[p + 6] & 0xff) | ((pos[p + 7] & 0xff) << 8) | (pos[p + 8] << 16)) * posScale;
            }
        }
        for (int i = from, o = first, p = from * 3; i < to; i++, o += stride, p += 3) {
            rows[o + atScale] = SCALE[scale[p] & 0xff];
            rows[o + atScale + 1] = SCALE[scale[p + 1] & 0xff];
            rows[o + atScale + 2] = SCALE[scale[p + 2] & 0xff];
            rows[o + atDc] = COLOR[color[p] & 0xff];
            rows[o + atDc + 1] = COLOR[color[p + 1] & 0xff];
            rows[o + atDc + 2] = COLOR[color[p + 2] & 0xff];
            rows[o + atOpacity] = ALPHA[alpha[i] & 0xff];
        }
        float[] q = new float[4];
        for (int i = from, o = first + atRot; i < to; i++, o += stride) {
            if (version >= 3) {
                int p = i * 4;
                int comp = (rot[p] & 0xff) | ((rot[p + 1] & 0xff) << 8) | ((rot[p + 2] & 0xff) << 16) | ((rot[p + 3] & 0xff) << 24);
                SpzCoding.unpackSmallestThree(comp, q);
            } else {
                int p = i * 3;
                SpzCoding.unpackFirstThree(rot[p] & 0xff, rot[p + 1] & 0xff, rot[p + 2] & 0xff, q);
            }
            rows[o] = q[0];
            rows[o + 1] = q[1];
            rows[o + 2] = q[2];
            rows[o + 3] = q[3];
        }
        int per = info.layout().restPerChannel();
        if (per > 0) {
            int fileStride = fileShDim * 3;
            for (int i = from, o = first + atRest, base = from * fileStride; i < to; i++, o += stride, base += fileStride) {
                // the file interleaves channels per coefficient (k * 3 + c); rows hold them channel by channel
                for (int k = 0, b = base; k < per; k++, b += 3) {
                    rows[o + k] = SH[sh[b] & 0xff];
                    rows[o + per + k] = SH[sh[b + 1] & 0xff];
                    rows[o + 2 * per + k] = SH[sh[b + 2] & 0xff];
                }
            }
        }
    }

    private void readAt(ByteBuffer dst, long pos) throws IOException {
        while (dst.hasRemaining()) {
            int n = channel.read(dst, base + pos);
            if (n < 0) {
                throw MalformedInputException.atByte(ErrorCode.SPZ_TRUNCATED, pos, "unexpected end of file");
            }
            pos += n;
        }
    }

    private void readFullyAt(byte[] dst, int off, int len, long pos) throws IOException {
        readAt(ByteBuffer.wrap(dst, off, len), pos);
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (Column c : columns) {
            if (c != null) {
                try {
                    c.close();
                } catch (IOException e) {
                    first = first == null ? e : first;
                }
            }
        }
        for (AutoCloseable r : resources) {
            try {
                r.close();
            } catch (Exception e) {
                first = first == null ? new IOException(e) : first;
            }
        }
        if (ownsChannel) {
            channel.close();
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public String toString() {
        return "SpzReader[" + name + "]";
    }

    /** Random access to a legacy payload's body, wherever it lives. */
    @FunctionalInterface
    private interface PayloadSource {
        void read(long pos, byte[] dst, int off, int len) throws IOException;
    }

    /** One attribute's bytes, read front to back. */
    private interface Column {
        Column EMPTY = new Column() {
            @Override
            public void read(byte[] dst, int len) {
            }
        };

        void read(byte[] dst, int len) throws IOException;

        /** Checks that nothing is left. */
        default void finish() throws IOException {
        }

        default void close() throws IOException {
        }
    }

    private static final class PayloadColumn implements Column {
        private final PayloadSource src;
        private long pos;

        PayloadColumn(PayloadSource src, long start) {
            this.src = src;
            this.pos = start;
        }

        @Override
        public void read(byte[] dst, int len) throws IOException {
            src.read(pos, dst, 0, len);
            pos += len;
        }
    }

    /** One zstd stream, decompressed as it is read, from a bounded region of the file. */
    private final class ZstdColumn implements Column {
        private final String name;
        private final long start;
        private final long expect;
        private final InputStream in;
        private long produced;

        ZstdColumn(String name, long start, long length, long expect) throws IOException {
            this.name = name;
            this.start = start;
            this.expect = expect;
            // zstd-jni where the application ships it: native Huffman decoding is about twice aircompressor's speed
            this.in = NativeZstd.AVAILABLE ? ZstdJni.inflate(new RegionStream(start, length))
                    : new ZstdInputStream(new RegionStream(start, length));
        }

        @Override
        public void read(byte[] dst, int len) throws IOException {
            int done = 0;
            while (done < len) {
                int n = readSome(dst, done, len - done);
                if (n < 0) {
                    throw MalformedInputException.atByte(ErrorCode.SPZ_TRUNCATED, start,
                            "the " + name + " stream ends after " + (produced + done) + " of " + expect + " bytes");
                }
                done += n;
            }
            produced += len;
        }

        @Override
        public void finish() throws IOException {
            if (readSome(new byte[1], 0, 1) > 0) {
                throw MalformedInputException.atByte(ErrorCode.SPZ_TRAILING_DATA, start,
                        "the " + name + " stream inflates to more than the " + expect + " bytes the table of contents gives");
            }
        }

        private int readSome(byte[] dst, int off, int len) throws IOException {
            try {
                return in.read(dst, off, len);
            } catch (ChannelFailure e) {
                throw e.getCause();
            } catch (IOException | RuntimeException e) {
                // aircompressor reports corrupt input with assorted exceptions (its own MalformedInputException,
                // IllegalArgumentException, index errors); all of them here mean a bad stream.
                throw MalformedInputException.atByte(ErrorCode.SPZ_BAD_COMPRESSION, start,
                        "the " + name + " zstd stream is corrupt: " + e.getMessage());
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** A channel failure, kept apart from decompression errors. */
    private static final class ChannelFailure extends UncheckedIOException {
        private static final long serialVersionUID = 1L;

        ChannelFailure(IOException cause) {
            super(cause);
        }
    }

    /** An input stream over {@code [start, start + length)} of the file, through a fixed buffer. */
    private final class RegionStream extends InputStream {
        private final long end;
        private final ByteBuffer buf = ByteBuffer.allocate(1 << 16);
        private long pos;

        RegionStream(long start, long length) {
            this.pos = start;
            this.end = start + length;
            buf.limit(0);
        }

        @Override
        public int read() {
            if (!buf.hasRemaining() && !fill()) {
                return -1;
            }
            return buf.get() & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (!buf.hasRemaining() && !fill()) {
                return -1;
            }
            int n = Math.min(len, buf.remaining());
            buf.get(b, off, n);
            return n;
        }

        private boolean fill() {
            if (pos >= end) {
                return false;
            }
            buf.clear();
            buf.limit((int) Math.min(buf.capacity(), end - pos));
            try {
                int n = channel.read(buf, base + pos);
                if (n <= 0) {
                    buf.limit(0);
                    return false;
                }
                pos += n;
            } catch (IOException e) {
                throw new ChannelFailure(e);
            }
            buf.flip();
            return true;
        }
    }
}
