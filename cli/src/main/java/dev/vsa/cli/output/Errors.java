package dev.vsa.cli.output;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/** One-line descriptions of failures, as users see them after {@code error: }. */
public final class Errors {
    private Errors() {
    }

    /** An I/O failure in one line naming the file, e.g. {@code no such file: scene.ply}. */
    public static String describe(IOException io) {
        if (io instanceof NoSuchFileException e) {
            // a reason says more ("no file matches" for a glob)
            return (e.getReason() != null ? e.getReason() : "no such file") + ": " + e.getFile();
        }
        if (io instanceof AccessDeniedException e) {
            return "permission denied: " + e.getFile();
        }
        if (io instanceof FileAlreadyExistsException e) {
            return "already exists: " + e.getFile();
        }
        if (io instanceof NotDirectoryException e) {
            return "not a directory: " + e.getFile();
        }
        if (io instanceof DirectoryNotEmptyException e) {
            return "directory not empty: " + e.getFile();
        }
        if (io instanceof FileSystemException e && e.getReason() != null) {
            return e.getFile() + ": " + e.getReason();
        }
        return io.getMessage() == null ? io.getClass().getSimpleName() : io.getMessage();
    }
}
