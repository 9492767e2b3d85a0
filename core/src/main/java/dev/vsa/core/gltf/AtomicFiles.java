package dev.vsa.core.gltf;

import dev.vsa.core.format.util.PendingFiles;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Output files written to temporary files beside their targets and moved into place together on
 * {@link #commit()}, in the order created (resources first, the file that names them last); {@link #close()}
 * without a commit deletes the temporary files, so a failed conversion leaves nothing half-written. The temporary
 * files are {@link PendingFiles pending} until then: a JVM stopped by Ctrl-C deletes them too, as it does a splat
 * conversion's.
 */
final class AtomicFiles implements AutoCloseable {
    private final List<Path[]> files = new ArrayList<>();
    private final List<PendingFiles.Pending> pending = new ArrayList<>();
    private boolean committed;

    /** A new temporary file that {@link #commit()} moves to {@code target}, open for writing. */
    FileChannel create(Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path temp = dir.resolve("." + target.getFileName() + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        pending.add(PendingFiles.register(temp));
        // createFile (not createTempFile, whose files are private to the owner) gives the usual permissions
        Files.createFile(temp);
        files.add(new Path[] {temp, target});
        return FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    }

    void commit() throws IOException {
        for (Path[] f : files) {
            PendingFiles.moveIntoPlace(f[0], f[1]);
        }
        committed = true;
    }

    @Override
    public void close() throws IOException {
        try {
            if (!committed) {
                for (Path[] f : files) {
                    Files.deleteIfExists(f[0]);
                }
            }
        } finally {
            pending.forEach(PendingFiles.Pending::close);
            pending.clear();
        }
    }
}
