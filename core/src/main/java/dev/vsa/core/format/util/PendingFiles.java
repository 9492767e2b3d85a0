package dev.vsa.core.format.util;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Temporary outputs being written (a file or a folder), deleted by one shutdown hook if the JVM exits while they
 * are still pending: Ctrl-C (SIGINT/SIGTERM) runs shutdown hooks but no {@code finally} block of the running
 * conversion, which would otherwise leave a hidden {@code .vsa-<hex>-...} file behind. A conversion
 * {@link #register registers} its temporary output and closes the registration when it has moved or deleted it.
 */
public final class PendingFiles {
    private static final Set<Path> PENDING = ConcurrentHashMap.newKeySet();
    private static volatile boolean hooked;

    private PendingFiles() {
    }

    /** A registration; {@link #close()} forgets the path (it does not delete it). */
    public interface Pending extends AutoCloseable {
        @Override
        void close();
    }

    /** Registers {@code path} to be deleted (recursively) if the JVM exits before the registration is closed. */
    public static Pending register(Path path) {
        Path p = path.toAbsolutePath();
        hook();
        PENDING.add(p);
        return () -> PENDING.remove(p);
    }

    private static void hook() {
        if (hooked) {
            return;
        }
        synchronized (PendingFiles.class) {
            if (!hooked) {
                try {
                    Runtime.getRuntime().addShutdownHook(new Thread(PendingFiles::deleteAll, "vsa-pending-files"));
                } catch (IllegalStateException alreadyShuttingDown) {
                    // the JVM is exiting: nothing more to register for
                }
                hooked = true;
            }
        }
    }

    private static void deleteAll() {
        for (Path p : PENDING) {
            try {
                deleteTree(p);
            } catch (IOException | RuntimeException e) {
                // best effort at exit; nothing to tell
            }
        }
    }

    /**
     * Moves a finished temporary output onto its target: atomically where the file system can (a reader sees the
     * old file or the new one, never half of it), else by a plain replacing move.
     */
    public static void moveIntoPlace(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Deletes a file, or a folder and everything in it; a missing path is fine. */
    public static void deleteTree(Path p) throws IOException {
        if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> s = Files.walk(p)) {
                for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(q);
                }
            }
        } else {
            Files.deleteIfExists(p);
        }
    }
}
