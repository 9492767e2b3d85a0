package dev.vsa.processing;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static dev.vsa.processing.ProcessingTestSupport.awaitTerminal;
import static dev.vsa.processing.ProcessingTestSupport.part;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Upload, process and store against a PostgreSQL container and an S3 container (what a deployment runs), with
 * workers; skipped with the reason when no Docker engine answers (embedded PostgreSQL and S3Proxy cover the same
 * paths in {@link ProcessJobTest}).
 */
class ContainerBackendsTest {
    @TempDir
    static Path home;
    static Processing p;
    static User u;
    static String url;

    @BeforeAll
    static void start() throws Exception {
        TestContainers.assumeEngine();
        String admin = TestContainers.postgresUrl();
        String db = "vsa_tc_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(admin); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + db);
        }
        Map<String, String> m = new HashMap<>();
        m.put(ProcessingConfig.S3_BUCKET, "vsa-tc-" + UUID.randomUUID().toString().substring(0, 8));
        m.put(ProcessingConfig.S3_ENDPOINT, TestContainers.s3Endpoint().toString());
        m.put(ProcessingConfig.S3_ACCESS_KEY, TestContainers.ACCESS_KEY);
        m.put(ProcessingConfig.S3_SECRET_KEY, TestContainers.SECRET_KEY);
        url = TestDatabases.withDatabase(admin, db);
        p = Processing.start(ProcessingTestSupport.config(home, url, m));
        p.startWorkers(2);
        u = p.users().create("tc", "tc@example.org", "h");
    }

    @AfterAll
    static void stop() {
        if (p != null) {
            p.close();
        }
    }

    @ParameterizedTest
    @CsvSource({
            "unitCube-ascii.ply, 'scene.spz,scene.glb'",
            "minimal.splat, 'scene.spz,scene.glb'",
            "Box.glb, ''"})
    void process_onContainers_readyWithOutputsInTheBucket(String fixture, String outputs) throws Exception {
        Scene s = p.scenes().upload(u.id(), part(fixture));
        Job j = awaitTerminal(p, u.id(), s.latestJobId());
        assertEquals(JobState.SUCCEEDED, j.state(), j::toString);
        Scene done = p.scenes().get(u.id(), s.id()).orElseThrow();
        assertEquals(SceneStatus.READY, done.status());
        Set<String> names = done.files().stream().map(SceneFile::name).collect(Collectors.toSet());
        for (String o : outputs.isEmpty() ? new String[0] : outputs.split(",")) {
            assertTrue(names.contains(o), names::toString);
        }
        int checked = 0;
        try (Connection c = DriverManager.getConnection(url);
             java.sql.PreparedStatement ps = c.prepareStatement("SELECT storage_key, size_bytes FROM scene_files WHERE scene_id = ?")) {
            ps.setObject(1, done.id());
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    assertEquals(rs.getLong(2), p.store().stat(rs.getString(1)).orElseThrow().size(), rs.getString(1));
                    checked++;
                }
            }
        }
        assertEquals(done.files().size(), checked);
    }
}
