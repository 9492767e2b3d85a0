package dev.vsa.cli.remote;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code --server URL} (or {@code VSA_SERVER}) of the remote commands; where their session is kept. */
public final class ServerMixin {
    /** Where {@code vsa serve} listens by default. */
    public static final String DEFAULT_SERVER = "http://localhost:8000";

    @Option(names = "--server", paramLabel = "URL",
            description = "The vsa server. Default: $VSA_SERVER, else " + DEFAULT_SERVER + ".")
    String server;

    @Option(names = "--credentials-file", paramLabel = "FILE", hidden = true,
            description = "Keep tokens in FILE instead of $XDG_CONFIG_HOME/vsa/credentials (tests).")
    Path credentialsFile;

    /** The server URL: the flag, else VSA_SERVER, else the default. */
    public String server() {
        if (server != null && !server.isBlank()) {
            return server;
        }
        String env = System.getenv("VSA_SERVER");
        return env != null && !env.isBlank() ? env : DEFAULT_SERVER;
    }

    /** The credentials store. */
    public Credentials credentials() {
        return credentialsFile != null ? new Credentials(credentialsFile) : Credentials.standard(System.getenv());
    }

    /** A client for {@link #server()}. */
    public ApiClient client() {
        String s = server();
        if (!s.startsWith("http://") && !s.startsWith("https://")) {
            throw new IllegalArgumentException("--server must be an http:// or https:// URL, was '" + s + "'");
        }
        return ApiClient.create(s, credentials());
    }
}
