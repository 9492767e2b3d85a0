package dev.vsa.processing.storage;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Objects as files under one directory: {@code <root>/<key>}, content types in {@code <root>/.meta/<key>}.
 * A put writes {@code <root>/.tmp/<random>} and renames it over the target atomically, so readers see the old
 * object or the new one, never a part. Keys never start a segment with a dot, so {@code .tmp} and
 * {@code .meta} cannot collide with objects.
 */
public final class LocalObjectStore implements ObjectStore {
    private static final int BUFFER = 64 * 1024;

    private final Path root;
    private final Path tmp;
    private final Path meta;

    /**
     * @throws IOException if the directory cannot be created
     */
    public LocalObjectStore(Path root) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        this.tmp = this.root.resolve(".tmp");
        this.meta = this.root.resolve(".meta");
        Files.createDirectories(tmp);
        Files.createDirectories(meta);
    }

    @Override
    public Optional<Path> scratchDirectory() {
        return Optional.of(tmp);
    }

    /** The directory objects live in. */
    public Path root() {
        return root;
    }

    @Override
    public long put(String key, InputStream in, long length, String contentType) throws IOException {
        Path target = file(key);
        Path part = tmp.resolve(UUID.randomUUID() + ".part");
        long n = 0;
        try {
            try (OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                byte[] buf = new byte[BUFFER];
                for (int r; (r = in.read(buf)) >= 0; ) {
                    out.write(buf, 0, r);
                    n += r;
                }
            }
            if (length >= 0 && n != length) {
                throw new IOException("stream for " + key + " had " + n + " bytes, " + length + " announced");
            }
            publish(key, target, part, contentType);
            return n;
        } finally {
            Files.deleteIfExists(part);
        }
    }

    /** Makes the complete {@code part} the object at {@code target}, its content type written beside it first. */
    private void publish(String key, Path target, Path part, String contentType) throws IOException {
        Files.createDirectories(target.getParent());
        Path metaFile = meta.resolve(key);
        Files.createDirectories(metaFile.getParent());
        Path metaPart = tmp.resolve(UUID.randomUUID() + ".meta");
        Files.writeString(metaPart, contentType == null ? "application/octet-stream" : contentType, StandardCharsets.UTF_8);
        move(metaPart, metaFile);
        move(part, target);
    }

    @Override
    public long putConsuming(String key, Path file, String contentType) throws IOException {
        Path target = file(key);
        Path part = tmp.resolve(UUID.randomUUID() + ".part");
        try {
            // A rename within one file system; across file systems this throws and the bytes are copied instead.
            Files.move(file, part, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            return put(key, file, contentType);
        }
        try {
            long n = Files.size(part);
            publish(key, target, part, contentType);
            return n;
        } finally {
            Files.deleteIfExists(part);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Override
    public InputStream get(String key, long offset, long length) throws IOException {
        if (offset < 0 || length < -1) {
            throw new IllegalArgumentException("bad range: offset " + offset + ", length " + length);
        }
        FileChannel ch;
        try {
            ch = FileChannel.open(file(key), StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new ObjectNotFoundException(key);
        }
        long size = ch.size();
        long start = Math.min(offset, size);
        long remaining = length < 0 ? size - start : Math.min(length, size - start);
        ch.position(start);
        return new Bounded(Channels.newInputStream(ch), remaining);
    }

    @Override
    public Optional<ObjectInfo> stat(String key) throws IOException {
        Path f = file(key);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        String type;
        try {
            type = Files.readString(meta.resolve(key), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            type = "application/octet-stream";
        }
        return Optional.of(new ObjectInfo(key, Files.size(f), type));
    }

    @Override
    public void delete(String key) throws IOException {
        Path f = file(key);
        Files.deleteIfExists(f);
        Files.deleteIfExists(meta.resolve(key));
        pruneEmpty(f.getParent(), root);
        pruneEmpty(meta.resolve(key).getParent(), meta);
    }

    private static void pruneEmpty(Path dir, Path stop) throws IOException {
        for (Path d = dir; d != null && d.startsWith(stop) && !d.equals(stop); d = d.getParent()) {
            try {
                Files.deleteIfExists(d);
            } catch (DirectoryNotEmptyException e) {
                return;
            }
        }
    }

    @Override
    public List<String> list(String prefix) throws IOException {
        List<String> keys = new ArrayList<>();
        // A directory or file deleted while we walk (a purge job of another scene, a concurrent delete) is simply
        // not listed: it is gone, which is what a listing taken a moment later would say too.
        Files.walkFileTree(root, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult visitFile(Path p, java.nio.file.attribute.BasicFileAttributes a) {
                if (a.isRegularFile()) {
                    String k = root.relativize(p).toString().replace('\\', '/');
                    if (!k.startsWith(".") && k.startsWith(prefix)) {
                        keys.add(k);
                    }
                }
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFileFailed(Path p, IOException e) throws IOException {
                if (e instanceof java.nio.file.NoSuchFileException) {
                    return java.nio.file.FileVisitResult.CONTINUE;
                }
                throw e;
            }

            @Override
            public java.nio.file.FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e == null || e instanceof java.nio.file.NoSuchFileException) {
                    return java.nio.file.FileVisitResult.CONTINUE;
                }
                throw e;
            }
        });
        keys.sort(null);
        return keys;
    }

    @Override
    public Optional<URI> presignGet(String key, Duration ttl, String downloadName) {
        return Optional.empty();
    }

    @Override
    public void close() {
        // nothing held open
    }

    private Path file(String key) {
        return root.resolve(ObjectStore.checkKey(key));
    }

    /** At most {@code remaining} bytes of the underlying stream. */
    private static final class Bounded extends FilterInputStream {
        private long remaining;

        Bounded(InputStream in, long remaining) {
            super(in);
            this.remaining = remaining;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int r = super.read(b, off, (int) Math.min(len, remaining));
            if (r > 0) {
                remaining -= r;
            }
            return r;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = super.skip(Math.min(n, remaining));
            remaining -= s;
            return s;
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(super.available(), remaining);
        }
    }
}
