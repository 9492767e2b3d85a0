package dev.vsa.processing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Every account's uploads live in the vsa home (local storage): no other local user may enter it. */
class PrivateHomeTest {
    @TempDir
    Path dir;

    @Test
    void start_newHome_isOwnerOnly_andAnOpenOneIsClosed() throws Exception {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        String url = TestDatabases.fresh();
        Path fresh = dir.resolve("a").resolve("home");
        try (Processing p = Processing.start(ProcessingTestSupport.config(fresh, url, Map.of()))) {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh)));
        }
        Path open = Files.createDirectory(dir.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x")); // as the umask made it
        try (Processing p = Processing.start(ProcessingTestSupport.config(open, url, Map.of()))) {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(open)));
            assertNotNull(p.users().create("a", "a@example.org", "h").id()); // and the engine works in it
        }
    }
}
