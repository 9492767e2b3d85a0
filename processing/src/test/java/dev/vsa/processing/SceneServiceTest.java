package dev.vsa.processing;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.vsa.processing.ProcessingTestSupport.awaitTerminal;
import static dev.vsa.processing.ProcessingTestSupport.fixtureBytes;
import static dev.vsa.processing.ProcessingTestSupport.part;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SceneServiceTest {
    @TempDir
    Path home;
    Processing p;
    User ada;

    @BeforeEach
    void start() {
        p = Processing.start(ProcessingTestSupport.config(home, TestDatabases.fresh(), Map.of()));
        ada = p.users().create("ada", "ada@example.org", "$2a$hash");
    }

    @AfterEach
    void stop() {
        p.close();
    }

    @ParameterizedTest
    @CsvSource({"unitCube-ascii.ply, ply", "minimal.splat, splat", "minimal-v4.spz, spz", "Box.glb, glb"})
    void upload_detectsFormatAndQueuesProcessJob(String fixture, String format) throws IOException {
        Scene s = p.scenes().upload(ada.id(), part(fixture));
        assertEquals(format, s.format());
        assertEquals(SceneStatus.UPLOADED, s.status());
        assertNull(s.sha256(), "hashed by the process job, not on the upload's path");
        assertEquals(1, s.files().size());
        assertEquals("original/" + fixture, s.files().get(0).name());
        Job j = p.jobs().get(ada.id(), s.latestJobId()).orElseThrow();
        assertEquals(JobState.QUEUED, j.state());
        assertEquals("process", j.kind());
    }

    @Test
    void upload_filePart_isMovedNotCopied() throws IOException {
        Path spooled = p.scenes().stagingDirectory().resolve("spooled-" + System.nanoTime());
        Files.write(spooled, fixtureBytes("minimal.splat"));
        Scene s = p.scenes().upload(ada.id(), List.of(UploadPart.ofFile("room.splat", null, spooled)));
        assertEquals("splat", s.format());
        assertEquals(fixtureBytes("minimal.splat").length, s.size());
        assertFalse(Files.exists(spooled), "the spooled file was taken over");
    }

    @Test
    void start_sweepsWhatADeadProcessLeftInStaging() throws IOException {
        Path ours = p.scenes().stagingDirectory();
        Path root = ours.getParent();
        // A process that died (SIGKILL) mid-upload a moment ago: its directory and its lock file, no lock held.
        Path dead = Files.createDirectories(root.resolve("proc-999999-dead"));
        Files.write(dead.resolve("MultiPart1.tmp"), new byte[10]);
        Files.write(root.resolve("proc-999999-dead.lock"), new byte[0]);
        // Left by a version before staging directories had owners: swept once a day old, else left alone.
        Path legacyStale = Files.createDirectories(root.resolve("request-dead"));
        Files.write(legacyStale.resolve("MultiPart1.tmp"), new byte[10]);
        long old = System.currentTimeMillis() - java.time.Duration.ofDays(1).toMillis();
        legacyStale.resolve("MultiPart1.tmp").toFile().setLastModified(old);
        legacyStale.toFile().setLastModified(old);
        Path legacyLive = Files.createDirectories(root.resolve("request-live"));
        Files.write(legacyLive.resolve("MultiPart2.tmp"), new byte[10]);
        Files.write(ours.resolve("in-flight.tmp"), new byte[10]);

        try (Processing second = Processing.start(ProcessingTestSupport.config(home, TestDatabases.fresh(), Map.of()))) {
            assertFalse(Files.exists(dead), "a dead process's spool is swept at start, however young");
            assertFalse(Files.exists(root.resolve("proc-999999-dead.lock")));
            assertFalse(Files.exists(legacyStale), "a day-old spool is swept at start");
            assertTrue(Files.exists(legacyLive.resolve("MultiPart2.tmp")), "a young spool of unknown owner is left alone");
            assertTrue(Files.exists(ours.resolve("in-flight.tmp")), "a live process's spool is left alone");
            assertTrue(!second.scenes().stagingDirectory().equals(ours));
        }
        assertTrue(Files.exists(ours.resolve("in-flight.tmp")), "closing another engine leaves ours alone");
    }

    @Test
    void upload_filePartOverLimit_rejectedAndLeftToTheCaller(@TempDir Path dir) throws IOException {
        Path big = dir.resolve("big.splat");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(p.config().maxUploadBytes() + 1); // sparse: the size is all the check looks at
        }
        UploadRejectedException e = assertThrows(UploadRejectedException.class,
                () -> p.scenes().upload(ada.id(), List.of(UploadPart.ofFile("big.splat", null, big))));
        assertEquals(UploadRejectedException.Reason.TOO_LARGE, e.reason());
        assertTrue(Files.exists(big));
        assertTrue(p.scenes().list(ada.id(), 10, null).items().isEmpty());
    }

    @Test
    void upload_unsupportedContent_rejectedAndNothingStored() throws IOException {
        UploadRejectedException e = assertThrows(UploadRejectedException.class, () -> p.scenes().upload(ada.id(),
                List.of(new UploadPart("notes.txt", "text/plain", new ByteArrayInputStream("hello".getBytes())))));
        assertEquals(UploadRejectedException.Reason.UNSUPPORTED_FORMAT, e.reason());
        assertTrue(p.scenes().list(ada.id(), 10, null).items().isEmpty());
        assertTrue(p.store().list("scenes/").isEmpty());
    }

    @Test
    void upload_abortedStream_leavesNoRowAndNoObject() {
        InputStream broken = new InputStream() {
            int n;

            @Override
            public int read() throws IOException {
                if (n++ > 100) {
                    throw new IOException("client went away");
                }
                return 'p';
            }
        };
        assertThrows(IOException.class, () -> p.scenes().upload(ada.id(), List.of(new UploadPart("a.ply", null, broken))));
        assertTrue(p.scenes().list(ada.id(), 10, null).items().isEmpty());
    }

    @Test
    void get_otherOwner_isEmpty() throws IOException {
        User bob = p.users().create("bob", "bob@example.org", "$2a$hash");
        Scene s = p.scenes().upload(ada.id(), part("unitCube-ascii.ply"));
        assertTrue(p.scenes().get(bob.id(), s.id()).isEmpty());
        assertFalse(p.scenes().delete(bob.id(), s.id()));
        assertTrue(p.scenes().get(ada.id(), s.id()).isPresent());
    }

    @Test
    void process_plyScene_becomesReadyWithOutputs() throws Exception {
        p.startWorkers(1);
        Scene s = p.scenes().upload(ada.id(), part("unitCube-ascii.ply"));
        Job j = awaitTerminal(p, ada.id(), s.latestJobId());
        Scene done = p.scenes().get(ada.id(), s.id()).orElseThrow();
        assertEquals(JobState.SUCCEEDED, j.state(), () -> j + " / " + done);
        assertEquals(SceneStatus.READY, done.status());
        assertTrue(done.metadata().path("splatCount").asLong() > 0, done.metadata()::toString);
        assertTrue(done.files().stream().anyMatch(f -> f.name().equals("scene.spz")), done.files()::toString);
        assertTrue(done.files().stream().anyMatch(f -> f.name().equals("validation.json")));
    }
}
