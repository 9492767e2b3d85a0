package db.migration;

import dev.vsa.processing.Usernames;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * Usernames compare by {@link Usernames#key} (NFKC + a case fold made in Java) instead of PostgreSQL's
 * {@code lower()}, which folded some names differently from the login throttle (U+0130 {@code İris} reached
 * {@code iris}'s account past its lock). Adds {@code users.username_key}, fills it for existing rows with the same
 * Java function the application uses (hence a Java migration), then makes it the unique key. Two existing names
 * with one key cannot both keep it: the migration then stops naming them, for an operator to rename one.
 */
public class V6__username_key extends BaseJavaMigration {
    @Override
    public void migrate(Context context) throws SQLException {
        var c = context.getConnection();
        try (Statement s = c.createStatement()) {
            s.execute("ALTER TABLE users ADD COLUMN username_key text");
        }
        Map<String, String> seen = new HashMap<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, username FROM users ORDER BY created_at, id");
             PreparedStatement up = c.prepareStatement("UPDATE users SET username_key = ? WHERE id = ?")) {
            while (rs.next()) {
                String name = rs.getString("username");
                String key = Usernames.key(name);
                String other = seen.putIfAbsent(key, name);
                if (other != null) {
                    throw new SQLException("usernames '" + other + "' and '" + name + "' are one name once normalized ('"
                            + key + "'): rename one of them, then start again");
                }
                up.setString(1, key);
                up.setObject(2, rs.getObject("id"));
                up.addBatch();
            }
            up.executeBatch();
        }
        try (Statement s = c.createStatement()) {
            s.execute("ALTER TABLE users ALTER COLUMN username_key SET NOT NULL");
            s.execute("DROP INDEX users_username_key");
            // Same index name as before: DuplicateException still learns the field from it.
            s.execute("CREATE UNIQUE INDEX users_username_key ON users (username_key)");
        }
    }
}
