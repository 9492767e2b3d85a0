package dev.vsa.processing.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * A scratch directory owned by a live process: its sibling {@code <name>.lock} is held under an exclusive file
 * lock for as long as it is open (a sibling, so the directory itself lists only what the process put in it). The operating system drops the lock when its process ends in any way (SIGKILL, OOM
 * killer, power loss), so {@link #sweep} can tell what a dead process left from what a live one (this JVM or
 * another, on this machine or another sharing the directory's file system) is using, without guessing from
 * ages or pids that may have been reused.
 */
public final class ProcessDir implements AutoCloseable {
    /** Suffix of the lock file beside each owned directory. */
    public static final String LOCK = ".lock";
    /** A directory without a lock file this young may be one a process is creating right now. */
    private static final Duration CREATING = Duration.ofMinutes(1);

    /**
     * The directories this JVM owns. A sweep must not even open their lock files: closing any channel on a file
     * may release every lock the JVM holds on it (POSIX record locks belong to the process).
     */
    private static final Set<Path> OWNED = ConcurrentHashMap.newKeySet();

    private final Path dir;
    private final FileChannel channel;
    private final FileLock lock;

    private ProcessDir(Path dir, FileChannel channel, FileLock lock) {
        this.dir = dir;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Creates {@code parent/<prefix><pid>-<random>} and locks it for this process.
     *
     * @throws IOException if it cannot be created or locked
     */
    public static ProcessDir create(Path parent, String prefix) throws IOException {
        Files.createDirectories(parent);
        Path dir = Files.createTempDirectory(parent, prefix + ProcessHandle.current().pid() + "-");
        FileChannel ch = FileChannel.open(lockOf(dir), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            FileLock l = ch.tryLock();
            if (l == null) {
                throw new IOException("cannot lock " + lockOf(dir));
            }
            OWNED.add(dir.toAbsolutePath().normalize());
            return new ProcessDir(dir, ch, l);
        } catch (IOException | RuntimeException e) {
            ch.close();
            FileTrees.deleteTree(dir);
            Files.deleteIfExists(lockOf(dir));
            throw e;
        }
    }

    private static Path lockOf(Path dir) {
        return dir.resolveSibling(dir.getFileName() + LOCK);
    }

    public Path path() {
        return dir;
    }

    /** Releases the lock and deletes the directory with everything in it. */
    @Override
    public void close() {
        OWNED.remove(dir.toAbsolutePath().normalize());
        try {
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // deleting anyway
        }
        FileTrees.deleteTree(dir);
        try {
            Files.deleteIfExists(lockOf(dir));
        } catch (IOException ignored) {
            // a sweep takes it
        }
    }

    /**
     * Deletes the entries of {@code parent} named {@code prefix*} that no live process owns: their lock file is
     * not locked, or (a directory made before owned directories existed, or by a process that died between
     * creating it and its lock) they have no lock file and were not modified for {@code unlockedAge}.
     * Best effort: an entry that cannot be read or deleted is left for the next sweep.
     *
     * @return the entries deleted
     */
    public static List<Path> sweep(Path parent, String prefix, Duration unlockedAge) {
        if (!Files.isDirectory(parent)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(parent)) {
            List<Path> entries = s.filter(p -> p.getFileName().toString().startsWith(prefix)).toList();
            List<Path> swept = new java.util.ArrayList<>();
            for (Path p : entries) {
                String name = p.getFileName().toString();
                if (name.endsWith(LOCK)) {
                    Path dir = p.resolveSibling(name.substring(0, name.length() - LOCK.length()));
                    if (!Files.exists(dir) && !OWNED.contains(dir.toAbsolutePath().normalize()) && unlocked(p)) {
                        Files.deleteIfExists(p); // its directory is gone already
                    }
                } else if (abandoned(p, unlockedAge)) {
                    FileTrees.deleteTree(p);
                    Files.deleteIfExists(lockOf(p));
                    swept.add(p);
                }
            }
            return swept;
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    private static boolean abandoned(Path dir, Duration unlockedAge) {
        Path lockFile = lockOf(dir);
        if (!Files.isDirectory(dir) || OWNED.contains(dir.toAbsolutePath().normalize())) {
            return false;
        }
        if (!Files.exists(lockFile)) {
            long age = System.currentTimeMillis() - newest(dir);
            return age > Math.max(unlockedAge.toMillis(), CREATING.toMillis());
        }
        return unlocked(lockFile);
    }

    /** True if no process holds the lock file (tried and released at once). */
    private static boolean unlocked(Path lockFile) {
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock l = ch.tryLock();
            if (l == null) {
                return false; // another process holds it
            }
            l.release();
            return true;
        } catch (OverlappingFileLockException e) {
            return false; // this JVM holds it (not through a ProcessDir)
        } catch (IOException e) {
            return false;
        }
    }

    private static long newest(Path p) {
        try (Stream<Path> s = Files.walk(p)) {
            return s.mapToLong(f -> f.toFile().lastModified()).max().orElse(Long.MAX_VALUE);
        } catch (IOException | RuntimeException e) {
            return Long.MAX_VALUE;
        }
    }
}
