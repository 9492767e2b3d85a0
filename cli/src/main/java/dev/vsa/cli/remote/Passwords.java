package dev.vsa.cli.remote;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Where a command gets a password: the flag, stdin, or a prompt without echo. */
public final class Passwords {
    private Passwords() {
    }

    /**
     * @param confirm ask twice (signup)
     * @throws IllegalArgumentException when no password can be had (no terminal and none given)
     */
    public static String obtain(String given, boolean fromStdin, boolean confirm) throws IOException {
        if (given != null) {
            return confirm ? checkNew(given) : given;
        }
        if (fromStdin) {
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (line == null || line.isEmpty()) {
                throw new IllegalArgumentException("--password-stdin: stdin is empty");
            }
            return confirm ? checkNew(line) : line;
        }
        Console console = System.console();
        if (console == null) {
            throw new IllegalArgumentException("no terminal to ask for the password: give --password-stdin or --password");
        }
        char[] pw = console.readPassword("Password: ");
        if (pw == null || pw.length == 0) {
            throw new IllegalArgumentException("no password given");
        }
        if (confirm) {
            checkNew(new String(pw)); // before the second prompt, not after a round trip
            char[] again = console.readPassword("Password (again): ");
            if (!Arrays.equals(pw, again)) {
                throw new IllegalArgumentException("the passwords differ");
            }
        }
        return new String(pw);
    }

    /**
     * A new password (signup) is refused here when the server would refuse it for its length
     * ({@link dev.vsa.processing.UserService#MIN_PASSWORD_LENGTH}).
     */
    static String checkNew(String password) {
        int min = dev.vsa.processing.UserService.MIN_PASSWORD_LENGTH;
        if (password.codePointCount(0, password.length()) < min) {
            throw new IllegalArgumentException("the password is too short: at least " + min + " characters");
        }
        return password;
    }
}
