package dev.vsa.processing;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** V6 fills {@code users.username_key} for the accounts a schema-5 database already holds. */
class UsernameMigrationTest {
    @TempDir
    Path home;

    @Test
    void migrate_existingRows_getTheirKeyAndStayUnique() throws Exception {
        String url = TestDatabases.fresh();
        Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration").target("5").load().migrate();
        Sql.exec(url, "INSERT INTO users (id, username, email, password_hash) VALUES "
                + "(gen_random_uuid(), 'Iris', 'iris@example.org', 'h'), (gen_random_uuid(), 'bob', 'bob@example.org', 'h')");
        try (Processing p = Processing.start(ProcessingTestSupport.config(home, url, Map.of()))) {
            assertEquals(1, Sql.count(url, "SELECT count(*) FROM users WHERE username = 'Iris' AND username_key = 'iris'"));
            assertEquals("iris@example.org", p.users().findByUsername("\u0130RIS").orElseThrow().email());
            assertEquals("username", assertThrows(DuplicateException.class,
                    () -> p.users().create("\u0130ris", "other@example.org", "h")).field());
        }
    }
}
