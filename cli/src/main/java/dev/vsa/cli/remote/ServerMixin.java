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

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "Authenticate with the personal access token in FILE instead of the 'vsa login' session "
                    + "(VSA_TOKEN does the same from the environment).")
    Path tokenFile;

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
        return ApiClient.create(s, credentials(), token());
    }

    /**
     * The personal access token to use: from {@code --token-file}, else {@code VSA_TOKEN}, else null (the session).
     * Never a flag's value: those end up in shell history and {@code ps}.
     */
    String token() {
        if (tokenFile != null) {
            try {
                String t = java.nio.file.Files.readString(tokenFile).strip();
                if (t.isEmpty()) {
                    throw new IllegalArgumentException("--token-file " + tokenFile + " is empty");
                }
                return t;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("cannot read --token-file " + tokenFile + ": " + e.getMessage(), e);
            }
        }
        return System.getenv("VSA_TOKEN");
    }
}
