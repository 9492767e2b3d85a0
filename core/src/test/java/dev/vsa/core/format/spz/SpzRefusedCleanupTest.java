package dev.vsa.core.format.spz;

import dev.vsa.core.error.MalformedInputException;
import dev.vsa.core.gltf.resource.SmallHeapTest;
import dev.vsa.core.splat.SplatReader;
import dev.vsa.core.splat.Splats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * An SPZ refused after part of it was opened leaves nothing open: a gzip body too large for the heap is spilled to a
 * temporary file before the gzip trailer's CRC is checked, so a small bomb with a wrong CRC used to keep its whole
 * inflated size on disk (an unlinked file held by an open channel) until a garbage collection happened to close it.
 */
class SpzRefusedCleanupTest {
    @TempDir
    Path dir;

    @Test
    void open_spilledBodyThenBadCrc_refusedAndSpillClosed() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "counts open files through /proc (Linux)");
        int count = 1_000_000; // 19 MB of v2 rows: past the 8 MiB a 64 MiB heap keeps in memory
        Path file = dir.resolve("bad-crc.spz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file), 1 << 16)) {
            ByteBuffer h = ByteBuffer.allocate(SpzReader.LEGACY_HEADER).order(ByteOrder.LITTLE_ENDIAN);
            h.putInt(SpzReader.MAGIC).putInt(2).putInt(count).put((byte) 0).put((byte) 12).put((byte) 0).put((byte) 0);
            out.write(h.array());
            out.write(new byte[count * 19]);
        }
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 8] ^= 1; // the trailer's CRC-32; its length field stays right
        Files.write(file, bytes);

        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED", "-cp",
                SmallHeapTest.classPath(), OpenAndCount.class.getName(), file.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), out);
        String last = out.strip().lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.startsWith("SPZ_BAD_COMPRESSION;"), out);
        assertTrue(last.endsWith("; 0 spill files open"), out);
    }

    /** Opens {@code args[0]}, prints the error it gives and how many spill files the process still has open. */
    public static final class OpenAndCount {
        public static void main(String[] args) throws IOException {
            String result;
            try (SplatReader r = Splats.open(Path.of(args[0]))) {
                result = "opened " + r.info().count();
            } catch (MalformedInputException e) {
                result = e.code().toString();
            }
            long open;
            try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
                open = fds.filter(fd -> {
                    try {
                        return Files.readSymbolicLink(fd).toString().contains(".vsa-spill-");
                    } catch (IOException e) {
                        return false; // the listing's own descriptor, closed by now
                    }
                }).count();
            }
            System.out.println(result + "; " + open + " spill files open");
        }
    }
}
