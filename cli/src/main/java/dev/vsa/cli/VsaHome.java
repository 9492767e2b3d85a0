package dev.vsa.cli;

import java.nio.file.Path;

/** The vsa home folder: {@code $VSA_HOME} if set, else {@code ~/.vsa}. Holds the shell history and config. */
public final class VsaHome {
    /** The environment variable that overrides the home folder. */
    public static final String ENV = "VSA_HOME";

    private VsaHome() {
    }

    /** The home folder (not created). */
    public static Path resolve() {
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".vsa");
    }
}
