package dev.vsa.core.gltf;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Output files written to temporary files beside their targets and moved into place together on
 * {@link #commit()}, in the order created (resources first, the file that names them last); {@link #close()}
 * without a commit deletes the temporary files, so a failed conversion leaves nothing half-written.
 */
final class AtomicFiles implements AutoCloseable {
    private final List<Path[]> files = new ArrayList<>();
    private boolean committed;

    /** A new temporary file that {@link #commit()} moves to {@code target}, open for writing. */
    FileChannel create(Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        // createFile (not createTempFile, whose files are private to the owner) gives the usual permissions
        Path temp = Files.createFile(dir.resolve("." + target.getFileName() + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp"));
        files.add(new Path[] {temp, target});
        return FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    }

    void commit() throws IOException {
        for (Path[] f : files) {
            try {
                Files.move(f[0], f[1], StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(f[0], f[1], StandardCopyOption.REPLACE_EXISTING);
            }
        }
        committed = true;
    }

    @Override
    public void close() throws IOException {
        if (!committed) {
            for (Path[] f : files) {
                Files.deleteIfExists(f[0]);
            }
        }
    }
}
