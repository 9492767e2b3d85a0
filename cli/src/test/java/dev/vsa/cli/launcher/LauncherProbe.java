package dev.vsa.cli.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Stands in for vsa's main class in {@link LauncherTest}'s fake repository: prints the {@code probe.txt} its jar
 * carries (and appends its arguments to {@code probe-args.log} in the working folder); with {@code serve}, waits for a line on stdin and only then loads a class it had not touched (as a
 * running server does on its next request).
 */
public final class LauncherProbe {
    private LauncherProbe() {
    }

    public static void main(String[] args) throws IOException {
        // what the launcher ran it with (it records its class cache from a demo run)
        java.nio.file.Files.writeString(java.nio.file.Path.of("probe-args.log"), String.join(" ", args) + "\n",
                StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        System.out.println("probe " + text());
        if (args.length > 0 && args[0].equals("serve")) {
            // and the JVM's flags (which class cache serve started from)
            java.nio.file.Files.writeString(java.nio.file.Path.of("probe-args.log"), "jvm " + String.join(" ",
                    java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) + "\n",
                    StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
            System.out.println("ready");
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            System.out.println(Late.answer());
        }
    }

    static String text() throws IOException {
        try (InputStream in = LauncherProbe.class.getResourceAsStream("/probe.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
    }

    /** Loaded only after the "request" arrives. */
    static final class Late {
        private Late() {
        }

        static String answer() {
            return "late class loaded";
        }
    }
}
