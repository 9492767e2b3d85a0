package dev.vsa.core.format.sog;

import dev.vsa.core.error.ErrorCode;
import dev.vsa.core.error.MalformedInputException;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * The named files of one SOG: entries of a {@code .sog} zip, or files beside an unbundled {@code meta.json}.
 * Every size is checked before a byte is read or inflated: entry count, each declared size against a limit and
 * against what the archive can hold, and the compression ratio of deflated entries.
 */
abstract class SogFiles implements Closeable {
    /** Most entries a bundle may hold (a SOG has at most 8). */
    static final int MAX_ENTRIES = 64;
    /** Largest meta.json read. */
    static final int MAX_META_BYTES = 1 << 20;
    /** Largest image file read (a 16383x16383 lossless WebP of random bytes is about this size). */
    static final long MAX_FILE_BYTES = 1L << 30;
    /** Largest inflated-to-compressed ratio accepted for a deflated entry. */
    static final long MAX_RATIO = 100;

    /** The name meta.json is found under (the bundle's entry, or the unbundled file's own name). */
    abstract String metaName();

    /**
     * The bytes of a named file, at most {@code limit}.
     *
     * @throws MalformedInputException {@code SOG_BAD_IMAGE} if it is missing, {@code SOG_BAD_ARCHIVE} or
     *                                 {@code LIMIT_EXCEEDED} if it is larger than allowed
     */
    final byte[] read(String name, long limit) throws IOException {
        return read(name, limit, null).data();
    }

    /**
     * As {@link #read(String, long)}, into {@code spare} when it holds that many bytes: images read one after another
     * on one thread share one array, instead of each taking fresh memory, which costs more than the read itself.
     * Without a spare the array is exactly the file's bytes.
     */
    abstract Read read(String name, long limit, byte[] spare) throws IOException;

    /** A file's bytes: the first {@code length} of {@code data} (a spare array may be longer, its rest stale). */
    record Read(byte[] data, int length) {
    }

    /** Total bytes of the input (the zip, or meta.json and the files it names). */
    abstract long size();

    /**
     * The size of a named file as the bundle or folder declares it, without reading it.
     *
     * @throws MalformedInputException {@code SOG_BAD_IMAGE} (or {@code SOG_BAD_META} for a JSON name) if it is missing
     */
    abstract long length(String name) throws IOException;

    /**
     * The first {@code n} bytes of a named file (fewer if it is shorter), without reading the rest: for an image's
     * header.
     */
    abstract byte[] head(String name, int n) throws IOException;

    static SogFiles open(Path path) throws IOException {
        String n = path.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        return n.endsWith(".json") ? new Dir(path) : new Zip(path);
    }

    /** Files beside meta.json; names are plain file names (no folders, no {@code ..}). */
    static final class Dir extends SogFiles {
        private final Path meta;
        /** Bytes of the files named so far (meta.json's own once read), for {@link #size}. */
        private final java.util.Map<String, Long> named = new java.util.concurrent.ConcurrentHashMap<>();

        Dir(Path meta) {
            this.meta = meta;
        }

        @Override
        String metaName() {
            return meta.getFileName().toString();
        }

        @Override
        long size() {
            try {
                long total = Files.size(meta);
                for (Map.Entry<String, Long> e : named.entrySet()) {
                    total += e.getKey().equals(metaName()) ? 0 : e.getValue();
                }
                return total;
            } catch (IOException e) {
                return -1;
            }
        }

        private Path file(String name) {
            checkName(name);
            return meta.toAbsolutePath().getParent().resolve(name);
        }

        @Override
        long length(String name) throws IOException {
            long size;
            try {
                size = Files.size(file(name));
            } catch (NoSuchFileException e) {
                throw new MalformedInputException(ErrorCode.SOG_BAD_IMAGE, name, name + " is missing beside " + metaName());
            }
            named.put(name, size);
            return size;
        }

        @Override
        byte[] head(String name, int n) throws IOException {
            long size = length(name);
            try (InputStream in = Files.newInputStream(file(name))) {
                return readExactly(in, (int) Math.min(n, size), name);
            }
        }

        @Override
        Read read(String name, long limit, byte[] spare) throws IOException {
            long size = length(name);
            Path p = file(name);
            if (size > limit) {
                throw new MalformedInputException(ErrorCode.LIMIT_EXCEEDED, name, name + " is " + size
                        + " bytes, more than the " + limit + " accepted");
            }
            try (InputStream in = Files.newInputStream(p)) {
                return new Read(readExactly(in, (int) size, name, spare), (int) size);
            }
        }

        @Override
        public void close() {
        }
    }

    /** A {@code .sog} bundle, entries stored or deflated. */
    static final class Zip extends SogFiles {
        private final ZipFile zip;
        private final Map<String, ZipEntry> entries = new HashMap<>();
        private final long fileSize;

        Zip(Path path) throws IOException {
            fileSize = Files.size(path);
            try {
                zip = new ZipFile(path.toFile());
            } catch (ZipException | java.io.EOFException e) { // EOF: a central directory past the file's end (fuzzing)
                throw new MalformedInputException(ErrorCode.SOG_BAD_ARCHIVE, null, "not a readable zip: " + e.getMessage());
            }
            try {
                if (zip.size() > MAX_ENTRIES) {
                    throw new MalformedInputException(ErrorCode.SOG_BAD_ARCHIVE, null,
                            "the bundle has " + zip.size() + " entries, more than the " + MAX_ENTRIES + " accepted");
                }
                Enumeration<? extends ZipEntry> all = zip.entries();
                while (all.hasMoreElements()) {
                    ZipEntry e = all.nextElement();
                    long size = e.getSize();
                    long packed = e.getCompressedSize();
                    if (size < 0 || packed < 0 || packed > fileSize) {
                        throw new MalformedInputException(ErrorCode.SOG_BAD_ARCHIVE, e.getName(),
                                "entry sizes " + packed + "/" + size + " do not fit a " + fileSize + "-byte archive");
                    }
                    if (e.getMethod() == ZipEntry.STORED ? size != packed : size > Math.max(1024, packed) * MAX_RATIO) {
                        throw new MalformedInputException(ErrorCode.SOG_BAD_ARCHIVE, e.getName(), "entry inflates "
                                + packed + " bytes to " + size + ", beyond the accepted ratio " + MAX_RATIO);
                    }
                    entries.putIfAbsent(e.getName(), e);
                }
            } catch (RuntimeException e) {
                zip.close();
                throw e;
            }
        }

        @Override
        String metaName() {
            return "meta.json";
        }

        @Override
        long size() {
            return fileSize;
        }

        private ZipEntry entry(String name) {
            checkName(name);
            ZipEntry e = entries.get(name);
            if (e == null) {
                throw new MalformedInputException(name.endsWith(".json") ? ErrorCode.SOG_BAD_META : ErrorCode.SOG_BAD_IMAGE,
                        name, "the bundle has no entry " + name);
            }
            return e;
        }

        @Override
        long length(String name) {
            return entry(name).getSize();
        }

        @Override
        byte[] head(String name, int n) throws IOException {
            ZipEntry e = entry(name);
            try (InputStream in = zip.getInputStream(e)) {
                return readExactly(in, (int) Math.min(n, e.getSize()), name);
            } catch (ZipException | java.io.EOFException ze) { // EOF: an entry's data past the file's end (fuzzing)
                throw new MalformedInputException(ErrorCode.SOG_BAD_ARCHIVE, name, "corrupt entry: " + ze.getMessage());
            }
        }

        @Override
        Read read(String name, long limit, byte[] spare) throws IOException {
            ZipEntry e = entry(name);
            if (e.getSize() > limit) {
                throw new MalformedInputException(ErrorCode.LIMIT_EXCEEDED, name, name + " is " + e.getSize()
                        + " bytes, more than the " + limit + " accepted");
            }
            try (InputStream in = zip.getInputStream(e)) {
                byte[] b = readExactly(in, (int) e.getSize(), name, spare);
                if (in.read() >= 0) {
                    throw new MalformedInputException(ErrorCode.SOG_BAD_ARCHIVE, name, "entry is longer than its declared size");
                }
                // ZipFile checks no CRC, and a changed byte in an image's pixels often still decodes (to other splats)
                CRC32 crc = new CRC32();
                crc.update(b, 0, (int) e.getSize()); // b may be a larger spare array
                if (e.getCrc() != -1 && crc.getValue() != e.getCrc()) {
                    throw new MalformedInputException(ErrorCode.SOG_BAD_ARCHIVE, name, String.format(
                            "corrupt entry: CRC-32 %08x, the bundle says %08x", crc.getValue(), e.getCrc()));
                }
                return new Read(b, (int) e.getSize());
            } catch (ZipException | java.io.EOFException ze) { // EOF: an entry's data past the file's end (fuzzing)
                throw new MalformedInputException(ErrorCode.SOG_BAD_ARCHIVE, name, "corrupt entry: " + ze.getMessage());
            }
        }

        @Override
        public void close() throws IOException {
            zip.close();
        }
    }

    static void checkName(String name) {
        if (name.isEmpty() || name.length() > 255 || name.contains("/") || name.contains("\\") || name.equals("..")
                || name.equals(".") || name.indexOf(':') >= 0 || name.chars().anyMatch(c -> c < 0x20)) {
            throw new MalformedInputException(ErrorCode.SOG_BAD_META, name,
                    "file name '" + name + "' must be a plain name beside meta.json");
        }
    }

    /** Bytes asked of a stream at a time: the JDK reads larger requests through a fresh native buffer of that size. */
    private static final int CHUNK = 1 << 16;

    static byte[] readExactly(InputStream in, int size, String name) throws IOException {
        return readExactly(in, size, name, null);
    }

    /** {@code size} bytes of {@code in} at the start of {@code spare} if it is large enough, else of a new array. */
    static byte[] readExactly(InputStream in, int size, String name, byte[] spare) throws IOException {
        byte[] b = spare != null && spare.length >= size ? spare : new byte[size];
        int at = 0;
        while (at < size) {
            int n = in.read(b, at, Math.min(size - at, CHUNK));
            if (n < 0) {
                throw new MalformedInputException(ErrorCode.TRUNCATED, name, name + " ends after " + at + " of " + size + " bytes");
            }
            at += n;
        }
        return b;
    }
}
