package dev.vsa.processing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An uploaded zip's central directory is sized from its end record before {@link java.util.zip.ZipFile} reads it
 * whole into memory: one upload could otherwise declare a directory as large as itself (hundreds of MB at the
 * default upload limit).
 */
class ZipDirectoryTest {
    @TempDir
    Path dir;

    @Test
    void checkDirectory_directoryPastLimit_refusedBeforeReading() throws IOException {
        // 80 entries, each with a 65,000-byte extra field: a central directory of ~5.2 MB for 80 one-byte files
        Path zip = dir.resolve("wide.zip");
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
            byte[] extra = new byte[65_000];
            extra[0] = (byte) 0xCA; // a private header id, then its length: 64,996 bytes of data
            extra[1] = (byte) 0xFE;
            extra[2] = (byte) (64_996 & 0xFF);
            extra[3] = (byte) (64_996 >> 8);
            for (int i = 0; i < 80; i++) {
                ZipEntry e = new ZipEntry("f" + i + ".ply");
                e.setExtra(extra);
                z.putNextEntry(e);
                z.write('x');
                z.closeEntry();
            }
        }
        UploadRejectedException e = assertThrows(UploadRejectedException.class,
                () -> SceneService.checkDirectory(zip, Files.size(zip)));
        assertEquals(UploadRejectedException.Reason.BAD_ARCHIVE, e.reason());
        assertTrue(e.getMessage().contains("central directory of"), e.getMessage());
    }

    @Test
    void checkDirectory_noEndRecord_refused() throws IOException {
        Path zip = Files.write(dir.resolve("cut.zip"), new byte[] {'P', 'K', 3, 4, 0, 0, 0, 0});
        UploadRejectedException e = assertThrows(UploadRejectedException.class,
                () -> SceneService.checkDirectory(zip, Files.size(zip)));
        assertTrue(e.getMessage().contains("no end of central directory"), e.getMessage());
    }

    @Test
    void checkDirectory_splatTransformSog_accepted() {
        Path sog = Path.of("../core/src/test/resources/splats/sog/st-2k-sh3.sog");
        assertDoesNotThrow(() -> SceneService.checkDirectory(sog, Files.size(sog)));
    }
}
