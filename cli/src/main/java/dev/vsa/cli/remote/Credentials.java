package dev.vsa.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

    /**
     * The server as logins are matched: scheme and host in lower case, the port explicit, no trailing slash, and the
     * loopback names ({@code localhost}, {@code 127.0.0.1}, {@code [::1]}) one name, so {@code vsa login} against
     * {@code http://localhost:8000} serves {@code VSA_SERVER=http://127.0.0.1:8000} too.
     */
    public static String key(String server) {
        try {
            java.net.URI u = java.net.URI.create(server.strip());
            String scheme = u.getScheme() == null ? "http" : u.getScheme().toLowerCase(java.util.Locale.ROOT);
            String host = u.getHost() == null ? "" : u.getHost().toLowerCase(java.util.Locale.ROOT);
            if (host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]") || host.equals("::1")) {
                host = "localhost";
            }
            int port = u.getPort() >= 0 ? u.getPort() : scheme.equals("https") ? 443 : 80;
            String path = u.getRawPath() == null ? "" : u.getRawPath().replaceAll("/+$", "");
            return scheme + "://" + host + ":" + port + path;
        } catch (IllegalArgumentException e) {
            return server;
        }
    }

    /** The key under which the file holds {@code server}'s session: the same text, else the same {@link #key}. */
    private static Optional<String> entry(ObjectNode all, String server) {
        if (all.has(server)) {
            return Optional.of(server);
        }
        String k = key(server);
        for (java.util.Iterator<String> it = all.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (key(name).equals(k)) {
                return Optional.of(name);
            }
        }
        return Optional.empty();
    }

    /** The servers this file holds a session for (as given at login). */
    public synchronized java.util.List<String> servers() throws IOException {
        java.util.List<String> out = new java.util.ArrayList<>();
        read().fieldNames().forEachRemaining(out::add);
        return out;
    }

    /** The session kept for {@code server} (or the same server by another loopback name or default port), if any. */
    public synchronized Optional<Session> get(String server) throws IOException {
        ObjectNode all = read();
        JsonNode s = entry(all, server).map(all::get).orElse(null);
        if (s == null || !s.isObject()) {
            return Optional.empty();
        }
        return Optional.of(new Session(s.path("username").asText(null), s.path("access_token").asText(null),
                Instant.ofEpochSecond(s.path("access_expires_at").asLong(0)), s.path("refresh_token").asText(null)));
    }

    public synchronized void put(String server, Session session) throws IOException {
        ObjectNode all = read();
        entry(all, server).ifPresent(all::remove); // one session per server, whatever name it was given under
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
        boolean had = entry(all, server).map(all::remove).isPresent();
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

    private void write(ObjectNode all) throws IOException {
        PrivateFiles.write(file, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(all));
    }
}
