package dev.vsa.cli;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The one check every command makes on a file it is given to read, so that one situation gets one message and
 * one exit code everywhere (all {@link IOException}s: exit 3): a missing file is "no such file", a folder "is a
 * directory", a device or pipe "not a regular file".
 */
public final class InputFiles {
    private InputFiles() {
    }

    /** Returns {@code file} if it is a regular file (symlinks followed), else throws saying what it is. */
    public static Path requireRegular(Path file) throws IOException {
        if (Files.isRegularFile(file)) {
            return file;
        }
        if (Files.isDirectory(file)) {
            throw new FileSystemException(file.toString(), null, "is a directory, not a file");
        }
        if (Files.exists(file)) {
            throw new FileSystemException(file.toString(), null, "not a regular file");
        }
        throw new NoSuchFileException(file.toString());
    }
}
