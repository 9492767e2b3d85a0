package dev.vsa.core.format.ksplat;

import dev.vsa.core.error.ErrorCode;
import dev.vsa.core.error.MalformedInputException;
import dev.vsa.core.format.ChannelIo;
import dev.vsa.core.format.util.BatchChecks;
import dev.vsa.core.splat.SplatBatch;
import dev.vsa.core.splat.SplatFileInfo;
import dev.vsa.core.splat.SplatFormat;
import dev.vsa.core.splat.SplatLayout;
import dev.vsa.core.splat.SplatReader;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Reads a GaussianSplats3D {@code .ksplat} ({@code src/loaders/SplatBuffer.js}: versions 0.1 and later minor
 * versions of major 0, which its loader accepts; compression levels 0, 1 and 2).
 *
 * <p>Layout, little-endian: a 4096-byte header (u8 major, u8 minor, u32@4 max sections, u32@16 splat count,
 * u16@20 compression level, f32@36/@40 the SH range of level 2, 0 meaning -1.5/1.5), then one 1024-byte header
 * per section (u32@0 splats, u32@4 max splats, u32@8 bucket size, u32@12 bucket count, f32@16 bucket block
 * size, u16@20 bucket storage bytes, u32@24 position quantization range, u32@32 full buckets, u32@36
 * partially filled buckets, u16@40 SH degree), then each section's data: partial bucket lengths (u32 each),
 * bucket centres, and max-splats rows of: position (f32x3, or u16x3 relative to the bucket centre at levels
 * 1-2), linear scale (f32x3 / f16x3), rotation w x y z (f32x4 / f16x4), RGBA u8x4, SH (f32 / f16 / u8 mapped
 * to the SH range) stored band by band: band 1 as r r r g g g b b b, then band 2 as 5 r, 5 g, 5 b (band 3,
 * which GaussianSplats3D does not write, is read the same way, 7 per channel, as splat-transform does).
 * Colour and opacity convert as for {@code .splat}; scales are logged (0 or less becomes -10, as
 * splat-transform does).
 */
final class KsplatReader implements SplatReader {
    static final int HEADER = 4096;
    static final int SECTION_HEADER = 1024;
    private static final double SH_C0 = 0.28209479177387814;
    private static final int IO_BYTES = 1 << 20;
    private static final int MAX_SECTIONS = 1 << 20;

    private record Section(long splats, long dataOffset, int bytesPerSplat, int degree, float scaleFactor,
                           int range, long fullBuckets, int bucketSize, long[] partialLengths, float[] centres) {
    }

    private final FileChannel ch;
    private final SplatFileInfo info;
    private final int level;
    private final float shMin;
    private final float shMax;
    private final Section[] sections;
    private final byte[] io;
    private int section;
    private long inSection;
    private long done;
    // partial-bucket cursor of the current section
    private long bucket;
    private long bucketEnd;
    private int partial;

    private KsplatReader(FileChannel ch, long fileSize) throws IOException {
        this.ch = ch;
        if (fileSize < HEADER) {
            throw MalformedInputException.atByte(ErrorCode.KSPLAT_TRUNCATED, fileSize,
                    "the file is " + fileSize + " bytes, shorter than the 4096-byte .ksplat header");
        }
        ByteBuffer h = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
        ChannelIo.readFully(ch, h, 0, ErrorCode.KSPLAT_TRUNCATED);
        int major = h.get(0) & 0xFF, minor = h.get(1) & 0xFF;
        if (major != 0 || minor < 1) {
            throw MalformedInputException.atByte(ErrorCode.KSPLAT_BAD_HEADER, 0,
                    "version " + major + "." + minor + " is not one GaussianSplats3D reads (0.1 or later 0.x)");
        }
        long maxSections = h.getInt(4) & 0xFFFFFFFFL;
        long count = h.getInt(16) & 0xFFFFFFFFL;
        level = h.getShort(20) & 0xFFFF;
        if (level > 2) {
            throw MalformedInputException.atByte(ErrorCode.KSPLAT_BAD_HEADER, 20, "compression level " + level + " is not 0, 1 or 2");
        }
        float lo = h.getFloat(36), hi = h.getFloat(40);
        shMin = lo == 0 ? -1.5f : lo;
        shMax = hi == 0 ? 1.5f : hi;
        if (maxSections > MAX_SECTIONS || maxSections > (fileSize - HEADER) / SECTION_HEADER) {
            throw MalformedInputException.atByte(ErrorCode.KSPLAT_TRUNCATED, 4, maxSections
                    + " section headers do not fit in the " + fileSize + "-byte file");
        }
        sections = new Section[(int) maxSections];
        ByteBuffer sh = ByteBuffer.allocate(SECTION_HEADER).order(ByteOrder.LITTLE_ENDIAN);
        long base = HEADER + maxSections * SECTION_HEADER;
        long total = 0;
        int maxDegree = 0;
        for (int i = 0; i < maxSections; i++) {
            long at = HEADER + (long) i * SECTION_HEADER;
            sh.clear();
            ChannelIo.readFully(ch, sh, at, ErrorCode.KSPLAT_TRUNCATED);
            long splats = sh.getInt(0) & 0xFFFFFFFFL;
            long maxSplats = sh.getInt(4) & 0xFFFFFFFFL;
            long bucketSize = sh.getInt(8) & 0xFFFFFFFFL;
            long bucketCount = sh.getInt(12) & 0xFFFFFFFFL;
            float blockSize = sh.getFloat(16);
            int bucketBytes = sh.getShort(20) & 0xFFFF;
            long range = sh.getInt(24) & 0xFFFFFFFFL;
            long full = sh.getInt(32) & 0xFFFFFFFFL;
            long partialCount = sh.getInt(36) & 0xFFFFFFFFL;
            int degree = sh.getShort(40) & 0xFFFF;
            String where = "section " + i + " header (byte " + at + ")";
            if (degree > 3) {
                throw new MalformedInputException(ErrorCode.KSPLAT_BAD_HEADER, where, "SH degree " + degree + " is not 0-3");
            }
            if (splats > maxSplats) {
                throw new MalformedInputException(ErrorCode.KSPLAT_BAD_HEADER, where, splats + " splats exceed the section's maximum " + maxSplats);
            }
            if (range == 0) {
                range = level == 0 ? 1 : 32767;
            }
            int bytesPerSplat = bytesPerSplat(level, degree);
            long left = fileSize - base;
            long bucketStorage = (long) bucketBytes * bucketCount + 4 * partialCount;
            if (bucketStorage > left || maxSplats > (left - bucketStorage) / bytesPerSplat) {
                throw new MalformedInputException(ErrorCode.KSPLAT_TRUNCATED, where, "the section's " + maxSplats
                        + " splats of " + bytesPerSplat + " bytes and " + bucketStorage + " bucket bytes do not fit in the "
                        + left + " bytes left at byte " + base);
            }
            if (level > 0 && splats > 0 && (bucketBytes < 12 || bucketCount == 0 || bucketSize == 0
                    || full > bucketCount || partialCount > bucketCount - full || full * bucketSize > splats)) {
                throw new MalformedInputException(ErrorCode.KSPLAT_BAD_HEADER, where, "inconsistent buckets: " + bucketCount
                        + " buckets of " + bucketSize + " (" + full + " full, " + partialCount + " partial), " + bucketBytes + " bytes each");
            }
            if (bucketCount > Integer.MAX_VALUE / 3 || partialCount > Integer.MAX_VALUE / 4) {
                throw new MalformedInputException(ErrorCode.LIMIT_EXCEEDED, where, bucketCount + " buckets are more than vsa reads");
            }
            // Only a section with splats has its bucket counts checked against the bytes it stores (at least 12 per
            // bucket, 4 per partial length): an empty one may claim millions of buckets in no bytes, so nothing is
            // allocated for it (found by fuzzing: a 5 KB file asked for gigabytes).
            boolean buckets = level > 0 && splats > 0;
            long[] partialLengths = new long[buckets ? (int) partialCount : 0];
            float[] centres = new float[buckets ? (int) bucketCount * 3 : 0];
            if (buckets) {
                ByteBuffer pb = ByteBuffer.allocate((int) (4 * partialCount)).order(ByteOrder.LITTLE_ENDIAN);
                ChannelIo.readFully(ch, pb, base, ErrorCode.KSPLAT_TRUNCATED);
                for (int k = 0; k < partialCount; k++) {
                    partialLengths[k] = pb.getInt(4 * k) & 0xFFFFFFFFL;
                }
                ByteBuffer cb = ByteBuffer.allocate((int) (bucketBytes * bucketCount)).order(ByteOrder.LITTLE_ENDIAN);
                ChannelIo.readFully(ch, cb, base + 4 * partialCount, ErrorCode.KSPLAT_TRUNCATED);
                for (int k = 0; k < bucketCount; k++) {
                    for (int c = 0; c < 3; c++) {
                        centres[3 * k + c] = cb.getFloat(k * bucketBytes + 4 * c);
                    }
                }
            }
            float factor = (float) (blockSize / 2.0 / range);
            sections[i] = new Section(splats, base + bucketStorage, bytesPerSplat, degree, factor, (int) range, full,
                    (int) bucketSize, partialLengths, centres);
            base += bucketStorage + maxSplats * bytesPerSplat;
            total += splats;
            if (splats > 0) {
                maxDegree = Math.max(maxDegree, degree);
            }
        }
        if (total != count) {
            throw MalformedInputException.atByte(ErrorCode.KSPLAT_BAD_HEADER, 16, "the header counts " + count
                    + " splats but its sections hold " + total);
        }
        int maxRow = 0;
        for (Section s : sections) {
            maxRow = Math.max(maxRow, s.bytesPerSplat());
        }
        io = new byte[Math.max(maxRow, IO_BYTES / Math.max(1, maxRow) * Math.max(1, maxRow))];
        info = new SplatFileInfo(SplatFormat.KSPLAT, major, "level " + level, count, SplatLayout.of(maxDegree), fileSize);
        startSection();
    }

    static int bytesPerSplat(int level, int degree) {
        int sh = 3 * SplatLayout.restPerChannel(degree);
        return level == 0 ? 44 + 4 * sh : 24 + (level == 1 ? 2 : 1) * sh;
    }

    static KsplatReader open(Path path) throws IOException {
        return ChannelIo.openReading(path, ch -> new KsplatReader(ch, ch.size()));
    }

    @Override
    public SplatFileInfo info() {
        return info;
    }

    private void startSection() {
        while (section < sections.length && sections[section].splats() == 0) {
            section++;
        }
        inSection = 0;
        if (section < sections.length) {
            Section s = sections[section];
            bucket = s.fullBuckets() - 1;
            bucketEnd = s.fullBuckets() * s.bucketSize();
            partial = 0;
        }
    }

    @Override
    public int read(SplatBatch batch) throws IOException {
        BatchChecks.checkRead(info.layout(), batch);
        float[] out = batch.array();
        int stride = batch.stride();
        int per = info.layout().restPerChannel();
        int n = 0;
        while (n < batch.capacity() && section < sections.length) {
            Section s = sections[section];
            int bps = s.bytesPerSplat();
            int rows = (int) Math.min(Math.min(io.length / bps, batch.capacity() - n), s.splats() - inSection);
            ChannelIo.readFully(ch, ByteBuffer.wrap(io, 0, rows * bps), s.dataOffset() + inSection * bps,
                    ErrorCode.KSPLAT_TRUNCATED);
            ByteBuffer b = ByteBuffer.wrap(io).order(ByteOrder.LITTLE_ENDIAN);
            for (int r = 0; r < rows; r++) {
                int p = r * bps;
                int o = (n + r) * stride;
                long local = inSection + r;
                java.util.Arrays.fill(out, o, o + stride, 0f);
                if (level == 0) {
                    for (int c = 0; c < 3; c++) {
                        out[o + SplatLayout.X + c] = b.getFloat(p + 4 * c);
                        out[o + SplatLayout.SCALE_0 + c] = logScale(b.getFloat(p + 12 + 4 * c));
                    }
                    for (int c = 0; c < 4; c++) {
                        out[o + SplatLayout.ROT_W + c] = b.getFloat(p + 24 + 4 * c);
                    }
                } else {
                    int bi = bucketOf(s, local);
                    for (int c = 0; c < 3; c++) {
                        int q = b.getShort(p + 2 * c) & 0xFFFF;
                        out[o + SplatLayout.X + c] = (q - s.range()) * s.scaleFactor() + s.centres()[3 * bi + c];
                        out[o + SplatLayout.SCALE_0 + c] = logScale(Float.float16ToFloat(b.getShort(p + 6 + 2 * c)));
                    }
                    for (int c = 0; c < 4; c++) {
                        out[o + SplatLayout.ROT_W + c] = Float.float16ToFloat(b.getShort(p + 12 + 2 * c));
                    }
                }
                int col = p + (level == 0 ? 40 : 20);
                for (int c = 0; c < 3; c++) {
                    out[o + SplatLayout.DC_0 + c] = (float) (((io[col + c] & 0xFF) / 255.0 - 0.5) / SH_C0);
                }
                double a = Math.max(1e-6, Math.min(1 - 1e-6, (io[col + 3] & 0xFF) / 255.0));
                out[o + SplatLayout.OPACITY] = (float) Math.log(a / (1 - a));
                int shAt = col + 4;
                int k = 0;
                for (int l = 1; l <= s.degree(); l++) {
                    int width = 2 * l + 1;
                    for (int c = 0; c < 3; c++) {
                        for (int j = 0; j < width; j++, k++) {
                            float v = switch (level) {
                                case 0 -> b.getFloat(shAt + 4 * k);
                                case 1 -> Float.float16ToFloat(b.getShort(shAt + 2 * k));
                                default -> shMin + (io[shAt + k] & 0xFF) / 255f * (shMax - shMin);
                            };
                            if (l <= info.layout().shDegree()) {
                                out[o + SplatLayout.REST + c * per + (l * l - 1) + j] = v;
                            }
                        }
                    }
                }
                normalize(out, o + SplatLayout.ROT_W);
            }
            n += rows;
            inSection += rows;
            if (inSection == s.splats()) {
                section++;
                startSection();
            }
        }
        done += n;
        batch.setSize(n);
        return n;
    }

    /** Bucket of the section's {@code local}-th splat (splats arrive in order: the cursor only moves forward). */
    private int bucketOf(Section s, long local) {
        long fullEnd = s.fullBuckets() * s.bucketSize();
        if (local < fullEnd) {
            return (int) (local / s.bucketSize());
        }
        while (local >= bucketEnd) {
            if (partial >= s.partialLengths().length) {
                throw new MalformedInputException(ErrorCode.KSPLAT_BAD_HEADER, "section " + section + " splat " + local,
                        "the partially filled buckets' lengths do not cover the section's splats");
            }
            bucket++;
            bucketEnd += s.partialLengths()[partial++];
        }
        if (bucket * 3 >= s.centres().length) {
            throw new MalformedInputException(ErrorCode.KSPLAT_BAD_HEADER, "section " + section + " splat " + local,
                    "bucket " + bucket + " does not exist");
        }
        return (int) bucket;
    }

    private static float logScale(float v) {
        return v > 0 ? (float) Math.log(v) : -10f;
    }

    private static void normalize(float[] a, int o) {
        double w = a[o], x = a[o + 1], y = a[o + 2], z = a[o + 3];
        double n = Math.sqrt(w * w + x * x + y * y + z * z);
        if (n > 0 && Double.isFinite(n)) {
            a[o] = (float) (w / n);
            a[o + 1] = (float) (x / n);
            a[o + 2] = (float) (y / n);
            a[o + 3] = (float) (z / n);
        }
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }
}
