package dev.vsa.cli.commands;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Names the port that answers {@code /readyz} in the file {@code $VSA_READYZ_PORT_FILE}, when that is set (the
 * container image sets it): its health check then finds the API's port or a worker's metrics port, even when
 * several workers share one host's network and each picked a free port.
 */
final class ReadyzPortFile {
    private ReadyzPortFile() {
    }

    static void write(int port) {
        String file = System.getenv("VSA_READYZ_PORT_FILE");
        if (file == null || file.isBlank()) {
            return;
        }
        Path p = Path.of(file);
        try {
            Path tmp = Files.createTempFile(p.toAbsolutePath().getParent(), ".readyz", ".port");
            Files.writeString(tmp, Integer.toString(port));
            Files.move(tmp, p, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("VSA_READYZ_PORT_FILE " + file + ": " + e.getMessage(), e);
        }
    }
}
