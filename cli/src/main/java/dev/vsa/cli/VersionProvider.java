package dev.vsa.cli;

import picocli.CommandLine.IVersionProvider;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** {@code vsa --version}: vsa's version and build, and the Java running it. */
public final class VersionProvider implements IVersionProvider {
    /** The build's properties (filtered by Maven into the jar). */
    public static Properties build() {
        Properties p = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    /** vsa's version, e.g. {@code 0.1.0-SNAPSHOT}. */
    public static String version() {
        return build().getProperty("version", "unknown");
    }

    @Override
    public String[] getVersion() {
        Properties p = build();
        return new String[] {
            "vsa " + p.getProperty("version", "unknown"),
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ", "
                    + System.getProperty("java.vm.name") + ") on " + System.getProperty("os.name") + " "
                    + System.getProperty("os.arch"),
            "build " + p.getProperty("build.time", "unknown"),
        };
    }
}
