package dev.vsa.core.gltf.resource;

import dev.vsa.core.error.ErrorCode;
import dev.vsa.core.error.MalformedInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The GLB container reader's two faces: {@link Glb#read} reports every problem in the Khronos validator's order,
 * {@link Glb#open} applies the readers' one policy (each row of {@link #open_policy} is a problem it reads past or
 * refuses; the validator's Khronos suite covers {@code read} file by file).
 */
class GlbTest {
    private static final int UNKNOWN = 0x5A5A5A5A;

    @TempDir
    Path dir;

    /** A GLB of the given chunks (type, data), declared length = the bytes written unless {@code declared >= 0}. */
    private Path glb(long declared, byte[] tail, Object... chunks) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int i = 0; i < chunks.length; i += 2) {
            byte[] data = (byte[]) chunks[i + 1];
            body.write(le(data.length));
            body.write(le((Integer) chunks[i]));
            body.write(data);
        }
        int total = 12 + body.size();
        ByteBuffer h = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(Glb.MAGIC).putInt(2).putInt((int) (declared >= 0 ? declared : total));
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.write(h.array());
        file.write(body.toByteArray());
        file.write(tail);
        return Files.write(dir.resolve("t.glb"), file.toByteArray());
    }

    private static byte[] le(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }

    private static byte[] json() {
        return "{\"asset\":{}}".getBytes(StandardCharsets.US_ASCII); // 12 bytes: aligned
    }

    private Path damaged(String damage) throws IOException {
        byte[] none = {};
        byte[] bin = new byte[8];
        return switch (damage) {
            case "none" -> glb(-1, none, Glb.CHUNK_JSON, json(), Glb.CHUNK_BIN, bin);
            case "unalignedJson" -> glb(-1, none, Glb.CHUNK_JSON, "{ }".getBytes(StandardCharsets.US_ASCII),
                    Glb.CHUNK_BIN, bin);
            case "unknownBeforeBin" -> glb(-1, none, Glb.CHUNK_JSON, json(), UNKNOWN, new byte[4], Glb.CHUNK_BIN, bin);
            case "emptyBin" -> glb(-1, none, Glb.CHUNK_JSON, json(), Glb.CHUNK_BIN, none);
            case "extraData" -> glb(-1, new byte[4], Glb.CHUNK_JSON, json(), Glb.CHUNK_BIN, bin);
            case "secondBin" -> glb(-1, none, Glb.CHUNK_JSON, json(), Glb.CHUNK_BIN, bin, Glb.CHUNK_BIN, new byte[4]);
            case "secondJson" -> glb(-1, none, Glb.CHUNK_JSON, json(), Glb.CHUNK_JSON, json());
            case "firstBin" -> glb(-1, none, Glb.CHUNK_BIN, bin, Glb.CHUNK_JSON, json());
            case "cutChunkHeader" -> glb(12 + 20 + 4, new byte[4], Glb.CHUNK_JSON, json());
            case "chunkPastDeclared" -> glb(12 + 20 + 8, none, Glb.CHUNK_JSON, json(), Glb.CHUNK_BIN, bin);
            case "declaredPastFile" -> glb(12 + 20 + 16 + 4, none, Glb.CHUNK_JSON, json(), Glb.CHUNK_BIN, bin);
            case "declaredTooSmall" -> glb(16, none, Glb.CHUNK_JSON, json());
            case "shorterThanAChunk" -> Files.write(dir.resolve("s.glb"), ByteBuffer.allocate(16)
                    .order(ByteOrder.LITTLE_ENDIAN).putInt(Glb.MAGIC).putInt(2).putInt(16).array());
            case "version1" -> {
                Path f = glb(-1, none, Glb.CHUNK_JSON, json());
                byte[] b = Files.readAllBytes(f);
                b[4] = 1;
                yield Files.write(f, b);
            }
            default -> throw new IllegalArgumentException(damage);
        };
    }

    @ParameterizedTest
    @CsvSource({
            // damage, code (empty: read past), byte
            "none, , ",
            "unalignedJson, , ",
            "unknownBeforeBin, , ",
            "emptyBin, , ",
            "extraData, , ",
            "secondBin, , ",
            "secondJson, GLB_BAD_HEADER, byte 32",
            "firstBin, GLB_BAD_HEADER, byte 16",
            "cutChunkHeader, GLB_BAD_HEADER, byte 36",
            "chunkPastDeclared, TRUNCATED, byte 32",
            "declaredPastFile, TRUNCATED, byte 8",
            "declaredTooSmall, GLB_BAD_HEADER, byte 8",
            "shorterThanAChunk, GLB_BAD_HEADER, byte 0",
            "version1, GLB_BAD_HEADER, byte 4",
    })
    void open_policy(String damage, ErrorCode code, String where) throws IOException {
        try (FileChannel ch = FileChannel.open(damaged(damage))) {
            if (code == null) {
                Glb.Layout layout = Glb.open(ch, 1 << 20);
                assertEquals(12, layout.json().offset());
                assertNotNull(layout.bin(), "the first BIN chunk is the buffer");
                return;
            }
            MalformedInputException e = assertThrows(MalformedInputException.class, () -> Glb.open(ch, 1 << 20));
            assertEquals(code + " " + where, e.code() + " " + e.where());
        }
    }

    @Test
    void open_unalignedChunk_steppedAsDeclared() throws IOException {
        try (FileChannel ch = FileChannel.open(damaged("unalignedJson"))) {
            Glb.Layout layout = Glb.open(ch, 1 << 20);
            assertEquals(3, layout.json().length());
            assertEquals(12 + 8 + 3, layout.bin().offset());
            assertEquals(8, layout.bin().length());
        }
    }

    @Test
    void open_jsonOverMax_limitExceeded() throws IOException {
        try (FileChannel ch = FileChannel.open(damaged("none"))) {
            MalformedInputException e = assertThrows(MalformedInputException.class, () -> Glb.open(ch, 8));
            assertEquals(ErrorCode.LIMIT_EXCEEDED, e.code());
            assertEquals("byte 12", e.where());
        }
    }

    @Test
    void open_noBin_binNull() throws IOException {
        try (FileChannel ch = FileChannel.open(glb(-1, new byte[0], Glb.CHUNK_JSON, json()))) {
            assertNull(Glb.open(ch, 1 << 20).bin());
        }
    }

    @Test
    void read_findingsInKhronosOrder() throws IOException {
        // first chunk BIN, unaligned and past the declared length, then the file ends inside its data
        Path f = glb(12 + 8 + 4, new byte[0], Glb.CHUNK_BIN, new byte[6]);
        List<Glb.Problem> got = new ArrayList<>();
        try (FileChannel ch = FileChannel.open(f)) {
            Glb.Layout layout = Glb.read(ch, x -> got.add(x.problem()));
            assertEquals(false, layout.aborted()); // the file ends where the data does
        }
        assertEquals(List.of(Glb.Problem.CHUNK_UNALIGNED, Glb.Problem.CHUNK_TOO_BIG, Glb.Problem.FIRST_CHUNK_NOT_JSON,
                Glb.Problem.LENGTH_MISMATCH), got);
    }
}
