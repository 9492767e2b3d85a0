package dev.vsa.cli.remote;

import picocli.CommandLine.Option;

import java.io.IOException;

/** {@code --password} and {@code --password-stdin} of {@code login} and {@code signup}; else a prompt. */
public final class PasswordMixin {
    @Option(names = "--password", description = "The password (visible in the process list: prefer the prompt).")
    String password;

    @Option(names = "--password-stdin", description = "Read the password from the first line of stdin.")
    boolean passwordStdin;

    /**
     * The password given, read from stdin, or asked for (see {@link Passwords#obtain}).
     *
     * @param confirm ask twice (signup)
     */
    public String obtain(boolean confirm) throws IOException {
        return Passwords.obtain(password, passwordStdin, confirm);
    }
}
