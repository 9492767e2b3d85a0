package dev.vsa.processing;

import dev.vsa.processing.resumable.ResumableUpload;
import dev.vsa.processing.resumable.ResumableUploads;
import dev.vsa.processing.storage.LocalObjectStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Unfinished uploads (resumable and direct) against the account: their declared bytes count toward its quota, and
 * deleting the account deletes their stored bytes. On real PostgreSQL and real stores (a local directory; S3Proxy).
 */
class OpenUploadsTest {
    static final long QUOTA = 1000;

    @TempDir
    Path home;

    private Map<String, String> settings(Map<String, String> extra) {
        Map<String, String> m = new HashMap<>(extra);
        m.put(Limits.USER_MAX_BYTES, Long.toString(QUOTA));
        return m;
    }

    private static UUID user(Processing p) {
        String n = "u" + UUID.randomUUID().toString().substring(0, 8);
        return p.users().create(n, n + "@example.org", "h").id();
    }

    private static UploadRejectedException.Reason refusal(Runnable r) {
        return assertThrows(UploadRejectedException.class, r::run).reason();
    }

    private static String sha(byte[] b) {
        return Digests.sha256Hex(b);
    }

    @Test
    void quota_twoResumableUploadsThatFitAloneButNotTogether_secondRefusedAtCreation() throws Exception {
        try (Processing p = Processing.start(ProcessingTestSupport.config(home, TestDatabases.fresh(), settings(Map.of())))) {
            UUID owner = user(p);
            ResumableUploads tus = p.resumableUploads();
            ResumableUpload first = tus.create(owner, 600, null, "first");
            assertEquals(UploadRejectedException.Reason.QUOTA, refusal(() -> tus.create(owner, 600, null, null)),
                    "600 stored-to-be + 600 > 1000, though each alone fits");
            // a retried creation of the first is not a second one: its bytes are counted once
            assertEquals(first.id(), tus.create(owner, 600, null, "first").id());
            ResumableUpload rest = tus.create(owner, 400, null, null); // exactly the room left
            assertEquals(UploadRejectedException.Reason.QUOTA, refusal(() -> tus.create(owner, 1, null, null)));
            // another account's room is its own
            tus.create(user(p), 600, null, null);
            // finishing or deleting frees the promise
            assertTrue(tus.delete(owner, first.id()));
            assertTrue(tus.delete(owner, rest.id()));
            tus.create(owner, 600, null, null);
        }
    }

    @Test
    void quota_oneRequestUploadCountsUnfinishedOnes_aFinishingUploadIsNotCountedTwice() throws Exception {
        byte[] splat = ProcessingTestSupport.fixtureBytes("minimal.splat");
        try (Processing p = Processing.start(ProcessingTestSupport.config(home, TestDatabases.fresh(), settings(Map.of())))) {
            UUID owner = user(p);
            ResumableUploads tus = p.resumableUploads();
            ResumableUpload parked = tus.create(owner, QUOTA - splat.length + 1, null, null);
            assertEquals(UploadRejectedException.Reason.QUOTA,
                    refusal(() -> upload(p, owner, "minimal.splat")), "the unfinished upload holds the room");
            assertTrue(tus.delete(owner, parked.id()));

            // Two unfinished uploads take the whole quota; the first then finishes in the room it took.
            ResumableUpload first = tus.create(owner, splat.length, named("minimal.splat"), null);
            tus.create(owner, QUOTA - splat.length, null, null);
            ResumableUpload done = tus.append(owner, first.id(), 0, splat.length, new ByteArrayInputStream(splat), null,
                    null).orElseThrow();
            assertTrue(done.sceneId() != null, done.toString());
            assertEquals(UploadRejectedException.Reason.QUOTA, refusal(() -> upload(p, owner, "minimal.splat")));
        }
    }

    private static void upload(Processing p, UUID owner, String fixture) {
        try {
            p.scenes().upload(owner, ProcessingTestSupport.part(fixture));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String named(String filename) {
        return "filename " + java.util.Base64.getEncoder().encodeToString(filename.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void quota_onS3_directAndResumableUploadsCountTogether() throws Exception {
        try (Processing p = Processing.start(ProcessingTestSupport.config(home, TestDatabases.fresh(),
                settings(TestS3.settings(TestS3.SECRET_KEY))))) {
            UUID owner = user(p);
            byte[] file = new byte[600];
            DirectUploads.Session direct = p.directUploads().start(owner, "a.splat", file.length, sha(file), null);
            assertEquals(UploadRejectedException.Reason.QUOTA,
                    refusal(() -> p.resumableUploads().create(owner, 600, null, null)));
            ResumableUpload tus = p.resumableUploads().create(owner, 400, null, null);
            assertEquals(UploadRejectedException.Reason.QUOTA,
                    refusal(() -> p.directUploads().start(owner, "b.splat", 1, sha(new byte[1]), null)));
            assertTrue(p.directUploads().abort(owner, direct.id()));
            assertTrue(p.resumableUploads().delete(owner, tus.id()));
            p.directUploads().abort(owner, p.directUploads().start(owner, "c.splat", 1000, sha(new byte[1000]), null).id());

            // A direct upload and a resumable one take the whole quota; the direct one then completes in its room.
            byte[] splat = ProcessingTestSupport.fixtureBytes("minimal.splat");
            DirectUploads.Session d = p.directUploads().start(owner, "minimal.splat", splat.length, sha(splat), null);
            p.resumableUploads().create(owner, QUOTA - splat.length, null, null);
            HttpResponse<String> put = HttpClient.newHttpClient().send(HttpRequest.newBuilder(d.parts().get(0).url())
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(splat)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, put.statusCode(), put.body());
            String etag = put.headers().firstValue("ETag").orElseThrow();
            Scene scene = p.directUploads().complete(owner, d.id(),
                    java.util.List.of(new dev.vsa.processing.storage.PresignedMultipart.PartTag(1, etag))).orElseThrow();
            assertEquals(splat.length, scene.size());
        }
    }

    @Test
    void deleteUser_unfinishedResumablePiecesPurgedThroughTheQueue_evenWithTheStoreDownAtFirst() throws Exception {
        FailingObjectStore store = new FailingObjectStore(new LocalObjectStore(home.resolve("objects")), "tus/", 0);
        try (Processing p = Processing.start(ProcessingTestSupport.config(home, TestDatabases.fresh(), settings(Map.of())),
                store)) {
            UUID owner = user(p);
            String prefix = pieces(p, owner);
            store.deleteFailuresLeft.set(3); // the store refuses the first deletes: the purge job is retried
            assertTrue(p.users().delete(owner));
            assertTrue(p.resumableUploads().find(owner, UUID.fromString(prefix.split("/")[1])).isEmpty());
            p.startWorkers(1);
            awaitNoObjects(p, prefix);
            assertTrue(store.failed.get() >= 1, "the store was down for the first attempt");
        }
    }

    @Test
    void deleteUser_onS3_resumablePiecesPurged_directUploadAborted() throws Exception {
        try (Processing p = Processing.start(ProcessingTestSupport.config(home, TestDatabases.fresh(),
                settings(TestS3.settings(TestS3.SECRET_KEY))))) {
            UUID owner = user(p);
            String prefix = pieces(p, owner);
            byte[] file = new byte[700 - 100];
            DirectUploads.Session direct = p.directUploads().start(owner, "a.splat", file.length, sha(file), null);
            DirectUploads.Part part = direct.parts().get(0);
            HttpResponse<String> put = HttpClient.newHttpClient().send(HttpRequest.newBuilder(part.url())
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(file)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, put.statusCode(), put.body());
            String key = directKey(p, direct.id());
            assertEquals(1, openMultipartUploads(p, key));

            assertTrue(p.users().delete(owner));
            p.startWorkers(1);
            awaitNoObjects(p, prefix);
            ProcessingTestSupport.await("the direct upload aborted and forgotten",
                    () -> openMultipartUploads(p, key) == 0 && directKey(p, direct.id()) == null);
            assertTrue(p.store().list(key).isEmpty());
        }
    }

    /** An unfinished resumable upload of 100 bytes holding a piece of 40; the prefix of its pieces. */
    private static String pieces(Processing p, UUID owner) throws IOException {
        ResumableUpload u = p.resumableUploads().create(owner, 100, null, null);
        p.resumableUploads().append(owner, u.id(), 0, 40, new ByteArrayInputStream(new byte[40]), null, null);
        String prefix = "tus/" + u.id() + "/";
        assertFalse(p.store().list(prefix).isEmpty());
        return prefix;
    }

    private static void awaitNoObjects(Processing p, String prefix) throws InterruptedException {
        ProcessingTestSupport.await("the objects under " + prefix + " purged", () -> {
            try {
                return p.store().list(prefix).isEmpty();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static String directKey(Processing p, UUID id) {
        try (Connection c = DriverManager.getConnection(p.databaseUrl());
             PreparedStatement ps = c.prepareStatement("SELECT storage_key FROM direct_uploads WHERE id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Multipart uploads the bucket holds open under {@code key} (S3's ListMultipartUploads). */
    private static int openMultipartUploads(Processing p, String key) {
        StorageConfig s = p.config().storage();
        try (S3Client s3 = S3Client.builder().region(Region.of(s.region())).endpointOverride(s.endpoint())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(s.accessKey(),
                        s.secretKey())))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build()).build()) {
            return (int) s3.listMultipartUploads(r -> r.bucket(s.bucket())).uploads().stream()
                    .filter(u -> u.key().equals(key)).count();
        }
    }
}
