package dev.vsa.cli;

import dev.vsa.processing.ProcessingConfig;

import java.nio.file.Path;

/**
 * The vsa home folder as the CLI's own files (shell history) see it: {@code $VSA_HOME} if set, else
 * {@code ~/.vsa}. Defined by {@link ProcessingConfig} (its {@code home} key), so the server, the worker and
 * the CLI agree.
 */
public final class VsaHome {
    /** The environment variable that overrides the home folder ({@code VSA_HOME}). */
    public static final String ENV = ProcessingConfig.envName(ProcessingConfig.HOME);

    private VsaHome() {
    }

    /** The home folder (not created). */
    public static Path resolve() {
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return ProcessingConfig.defaultHome();
    }
}
