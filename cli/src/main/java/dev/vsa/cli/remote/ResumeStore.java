package dev.vsa.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vsa.processing.Digests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where {@code vsa upload} remembers its unfinished resumable uploads, so {@code --resume} goes on after the CLI
 * itself was stopped: one 0600 JSON file per upload in a 0700 folder ({@code ~/.vsa/uploads}), named by a hash of
 * the server, the file's absolute path, size and modification time. A file changed since is another file: its
 * entry no longer matches and the upload starts afresh.
 */
public final class ResumeStore {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** What one entry remembers: the upload's URL and the key that makes its scene once. */
    public record Entry(String url, String idempotencyKey) {
    }

    private final Path dir;

    public ResumeStore(Path dir) {
        this.dir = dir;
    }

    /** The key of a file's upload to a server. */
    public static String key(String server, Path file) throws IOException {
        Path abs = file.toAbsolutePath().normalize();
        String id = server + "\n" + abs + "\n" + Files.size(abs) + "\n" + Files.getLastModifiedTime(abs).toMillis();
        return Digests.sha256Hex(id.getBytes(StandardCharsets.UTF_8)).substring(0, 32);
    }

    /** The remembered upload, or empty (none, or unreadable: then it is as if there were none). */
    public Optional<Entry> load(String key) {
        Path f = dir.resolve(key + ".json");
        try {
            JsonNode n = MAPPER.readTree(f.toFile());
            String url = n.path("url").asText("");
            String k = n.path("idempotency_key").asText("");
            return url.isEmpty() || k.isEmpty() ? Optional.empty() : Optional.of(new Entry(url, k));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Remembers an upload (replacing an older entry of the same file). */
    public void save(String key, Entry e, Path file) throws IOException {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("url", e.url());
        n.put("idempotency_key", e.idempotencyKey());
        n.put("file", file.toAbsolutePath().normalize().toString());
        PrivateFiles.write(dir.resolve(key + ".json"), MAPPER.writeValueAsBytes(n));
    }

    /** Forgets an upload (done, or gone from the server). */
    public void delete(String key) throws IOException {
        Files.deleteIfExists(dir.resolve(key + ".json"));
    }
}
