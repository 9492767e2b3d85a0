package dev.vsa.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The tokens {@code vsa login} keeps, per server, in {@code $XDG_CONFIG_HOME/vsa/credentials} (default
 * {@code ~/.config/vsa/credentials}), a JSON file readable by its owner only (mode 0600).
 */
public final class Credentials {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One server's session. */
    public record Session(String username, String accessToken, Instant accessExpiresAt, String refreshToken) {
    }

    private final Path file;

    public Credentials(Path file) {
        this.file = file;
    }

    /** The file per the XDG base directory rules, from {@code env} (XDG_CONFIG_HOME, HOME). */
    public static Credentials standard(Map<String, String> env) {
        String xdg = env.get("XDG_CONFIG_HOME");
        Path dir = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute() ? Path.of(xdg)
                : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".config");
        return new Credentials(dir.resolve("vsa").resolve("credentials"));
    }

    public Path file() {
        return file;
    }

    /** The session kept for {@code server}, if any. */
    public synchronized Optional<Session> get(String server) throws IOException {
        JsonNode s = read().get(server);
        if (s == null || !s.isObject()) {
            return Optional.empty();
        }
        return Optional.of(new Session(s.path("username").asText(null), s.path("access_token").asText(null),
                Instant.ofEpochSecond(s.path("access_expires_at").asLong(0)), s.path("refresh_token").asText(null)));
    }

    public synchronized void put(String server, Session session) throws IOException {
        ObjectNode all = read();
        ObjectNode s = all.putObject(server);
        s.put("username", session.username());
        s.put("access_token", session.accessToken());
        s.put("access_expires_at", session.accessExpiresAt().getEpochSecond());
        s.put("refresh_token", session.refreshToken());
        write(all);
    }

    /** Forgets the session for {@code server}; true if there was one. */
    public synchronized boolean remove(String server) throws IOException {
        ObjectNode all = read();
        boolean had = all.remove(server) != null;
        if (had) {
            write(all);
        }
        return had;
    }

    private ObjectNode read() throws IOException {
        if (!Files.exists(file)) {
            return MAPPER.createObjectNode();
        }
        JsonNode n = MAPPER.readTree(file.toFile());
        return n instanceof ObjectNode o ? o : MAPPER.createObjectNode();
    }

    /** Writes a 0600 temporary file beside the real one and moves it over, so no reader sees half a file. */
    private void write(ObjectNode all) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        Path tmp = posix
                ? Files.createTempFile(dir, ".credentials", ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                : Files.createTempFile(dir, ".credentials", ".tmp");
        try {
            Files.write(tmp, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(all));
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            if (posix) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
