package dev.vsa.processing;

import dev.vsa.processing.internal.EmbeddedDatabase;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A real PostgreSQL for tests: the external server named by {@code VSA_TEST_DATABASE_URL} (e.g.
 * {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}), else one embedded server per test JVM.
 * Each test gets a fresh database of its own on it.
 */
public final class TestDatabases {
    private static String adminUrl;

    private TestDatabases() {
    }

    private static synchronized String adminUrl() {
        if (adminUrl == null) {
            String ext = System.getenv("VSA_TEST_DATABASE_URL");
            if (ext != null && !ext.isBlank()) {
                adminUrl = ext;
            } else {
                try {
                    Path dir = Files.createTempDirectory("vsa-test-pg-");
                    EmbeddedDatabase pg = EmbeddedDatabase.start(dir.resolve("pg"), 0, false);
                    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                        try {
                            pg.stop();
                        } catch (IOException ignored) {
                            // the JVM is going
                        }
                    }));
                    adminUrl = pg.jdbcUrl();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return adminUrl;
    }

    /** The JDBC URL of a new, empty database. */
    public static String fresh() {
        String admin = adminUrl();
        String name = "vsa_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection c = DriverManager.getConnection(admin); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a test database on " + admin, e);
        }
        return withDatabase(admin, name);
    }

    static String withDatabase(String url, String db) {
        int q = url.indexOf('?');
        String base = q < 0 ? url : url.substring(0, q);
        String query = q < 0 ? "" : url.substring(q);
        return base.substring(0, base.lastIndexOf('/') + 1) + db + query;
    }
}
