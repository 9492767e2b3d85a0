package dev.vsa.processing.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.vsa.processing.ProcessingConfig;
import dev.vsa.processing.ProcessingException;
import org.flywaydb.core.Flyway;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** The connection pool (and embedded server, if any), migrated at start. */
public final class Database implements AutoCloseable {
    private final HikariDataSource pool;
    /** How vsa's connections name themselves to the server (counted before stopping an embedded server). */
    private static final String APPLICATION_NAME = "vsa";
    /** Advisory lock key held while migrating ("vsamigr" in ASCII); public for the test that holds it. */
    public static final long MIGRATION_LOCK = 0x0076_7361_6d69_6772L;

    private final EmbeddedDatabase embedded;
    private final String url;
    private final Properties props;

    private Database(HikariDataSource pool, EmbeddedDatabase embedded, String url, Properties props) {
        this.pool = pool;
        this.embedded = embedded;
        this.url = url;
        this.props = props;
    }

    /**
     * Starts the embedded server if configured, opens the pool and applies migrations.
     *
     * @throws ProcessingException if the database cannot be reached or migrated
     */
    public static Database open(ProcessingConfig config) {
        return open(config, null);
    }

    /**
     * As {@link #open(ProcessingConfig)}, reporting the pool's use to {@code meters} (HikariCP's Micrometer tracker:
     * {@code hikaricp_connections_*}) when it is not null.
     *
     * @throws ProcessingException if the database cannot be reached or migrated
     */
    public static Database open(ProcessingConfig config, io.micrometer.core.instrument.MeterRegistry meters) {
        EmbeddedDatabase embedded = null;
        try {
            String url = config.databaseUrl();
            if (url == null) {
                embedded = EmbeddedDatabase.start(config.embeddedDir(), config.embeddedPort(), config.embeddedDurable());
                url = embedded.jdbcUrl();
            }
            Properties props = new Properties();
            if (config.databaseUser() != null) {
                props.setProperty("user", config.databaseUser());
            }
            if (config.databasePassword() != null) {
                props.setProperty("password", config.databasePassword());
            }
            // Fail fast when the server is gone instead of hanging: workers retry with their own backoff.
            props.setProperty("connectTimeout", "5");
            props.setProperty("socketTimeout", "120");
            props.setProperty("tcpKeepAlive", "true");
            props.setProperty("ApplicationName", APPLICATION_NAME);
            HikariConfig hc = new HikariConfig();
            hc.setJdbcUrl(url);
            hc.setDataSourceProperties(props);
            hc.setMaximumPoolSize(config.databasePoolSize());
            hc.setMinimumIdle(Math.min(2, config.databasePoolSize()));
            hc.setConnectionTimeout(config.databasePoolTimeout().toMillis());
            hc.setValidationTimeout(2_000);
            hc.setInitializationFailTimeout(30_000);
            hc.setPoolName("vsa");
            if (meters != null) {
                hc.setMetricsTrackerFactory(new com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory(meters));
            }
            HikariDataSource pool = new HikariDataSource(hc);
            try {
                migrate(pool, url, props);
            } catch (SQLException | RuntimeException e) {
                pool.close();
                throw e;
            }
            return new Database(pool, embedded, url, props);
        } catch (IOException | SQLException | RuntimeException e) {
            if (embedded != null) {
                try {
                    if (embedded.startedHere()) {
                        embedded.stop();
                    }
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            if (e instanceof ProcessingException pe) {
                throw pe;
            }
            throw new ProcessingException("database unavailable: " + e.getMessage(), e);
        }
    }

    /**
     * Applies the migrations while holding {@link #MIGRATION_LOCK}, a session-level advisory lock on a connection
     * of its own: when several processes start at once (N APIs and M workers of one deployment), one migrates
     * and the others wait, then find nothing left to do. Flyway takes an advisory lock of its own as well; this
     * one does not depend on its internals and also covers its validation step.
     */
    private static void migrate(HikariDataSource pool, String url, Properties props) throws SQLException {
        try (Connection lock = DriverManager.getConnection(url, props);
             java.sql.Statement s = lock.createStatement()) {
            s.execute("SELECT pg_advisory_lock(" + MIGRATION_LOCK + ")");
            Flyway.configure().dataSource(pool).locations("classpath:db/migration")
                    .failOnMissingLocations(true).load().migrate();
            s.execute("SELECT pg_advisory_unlock(" + MIGRATION_LOCK + ")"); // closing the session would too
        }
    }

    /** A pooled connection (auto-commit on). */
    public Connection connection() throws SQLException {
        return pool.getConnection();
    }

    /** Work done inside one transaction, answering a value ({@code null} for none). */
    @FunctionalInterface
    public interface TxFunction<T> {
        T apply(Connection tx) throws SQLException;
    }

    /**
     * The commit itself failed (e.g. the connection broke while committing): the transaction may or may not be
     * durable, so a caller that stored objects for it must keep them. Same message and SQL state as its cause.
     */
    public static final class CommitFailedException extends SQLException {
        CommitFailedException(SQLException cause) {
            super(cause.getMessage(), cause.getSQLState(), cause.getErrorCode(), cause);
        }
    }

    /**
     * What follows a transaction's commit and is never part of it (announcing its jobs): given the connection, whose
     * transaction is committed (auto-commit still off: a hook that writes turns it on), and the work's result. The
     * work is done whatever happens here: a hook does not throw.
     */
    @FunctionalInterface
    public interface AfterCommit<T> {
        void run(Connection c, T result);
    }

    /**
     * Runs {@code work} in one transaction on a pooled connection and commits it; on any exception or error
     * (including a failed commit) rolls back and rethrows it. Work that finds nothing to do may simply return:
     * committing a transaction that wrote nothing changes nothing.
     *
     * @throws CommitFailedException if the commit failed (outcome unknown)
     * @throws SQLException          if {@code work} or the connection failed before the commit (rolled back)
     */
    public <T> T inTransaction(TxFunction<T> work) throws SQLException {
        return inTransaction(work, null);
    }

    /**
     * As {@link #inTransaction(TxFunction)}, then, once committed, runs {@code afterCommit} (null: nothing) on the
     * same connection before it goes back to the pool.
     */
    public <T> T inTransaction(TxFunction<T> work, AfterCommit<? super T> afterCommit) throws SQLException {
        try (Connection c = connection()) {
            c.setAutoCommit(false);
            T result;
            try {
                result = work.apply(c);
                try {
                    c.commit();
                } catch (SQLException e) {
                    throw new CommitFailedException(e);
                }
            } catch (Throwable e) {
                rollbackQuietly(c, e);
                throw e;
            }
            if (afterCommit != null) {
                afterCommit.run(c, result);
            }
            return result;
        }
    }

    /**
     * Rolls back {@code c}'s open transaction, if any; a failure to do so (a broken connection: nothing of it was
     * committed) is added to {@code cause}, the failure being reported.
     */
    public static void rollbackQuietly(Connection c, Throwable cause) {
        try {
            if (!c.getAutoCommit()) {
                c.rollback();
            }
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    /** A new connection outside the pool, for LISTEN. */
    public Connection dedicatedConnection() throws SQLException {
        return DriverManager.getConnection(url, props);
    }

    /** Whether this process started an embedded server that it must stop. */
    public boolean ownsEmbeddedServer() {
        return embedded != null && embedded.startedHere();
    }

    /** The JDBC URL in use (the embedded server's if embedded). */
    public String url() {
        return url;
    }

    /** Closes the pool; stops the embedded server unless another vsa process still uses it (the last one out stops it). */
    @Override
    public void close() {
        pool.close();
        if (embedded != null) {
            try {
                if (otherClientsAfterOwnLeave() == 0) {
                    embedded.stop();
                }
            } catch (IOException e) {
                // the server is going away with the JVM anyway
            }
        }
    }

    /**
     * {@link #otherClients()}, asked again for up to 2 s while it is not 0: the server ends the backends of this
     * process's just-closed connections a moment after they close, and until then counts them (a busy machine
     * made the last process out leave its server running).
     */
    private int otherClientsAfterOwnLeave() {
        long deadline = System.nanoTime() + 2_000_000_000L;
        int n = otherClients();
        while (n > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return n;
            }
            n = otherClients();
        }
        return n;
    }

    /** Connections of other vsa processes (this one's pool and listener are closed by now). */
    private int otherClients() {
        try (Connection c = DriverManager.getConnection(url, props);
             java.sql.Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity "
                     + "WHERE application_name = '" + APPLICATION_NAME + "' AND pid <> pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            return 0; // unreachable: nothing there to keep alive
        }
    }
}
