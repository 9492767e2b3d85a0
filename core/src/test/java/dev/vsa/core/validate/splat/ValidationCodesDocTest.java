package dev.vsa.core.validate.splat;

import dev.vsa.core.error.ErrorCode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/validation-codes.md lists every code a splat validation can report. */
class ValidationCodesDocTest {
    @Test
    void doc_listsEverySplatCode() throws IOException {
        String doc = Files.readString(Path.of(System.getProperty("vsa.repo.root", "..")).resolve("docs/validation-codes.md"));
        List<String> codes = List.of(SplatChecks.NON_FINITE, SplatChecks.ROTATION_NOT_NORMALIZABLE,
                SplatChecks.OPACITY_OUT_OF_RANGE, SplatChecks.SCALE_OUT_OF_RANGE, SplatChecks.SH_OUT_OF_RANGE,
                CodecSplatValidator.EMPTY, CodecSplatValidator.TRAILING_DATA, CodecSplatValidator.COUNT_MISMATCH, CodecSplatValidator.EXTRA_PROPERTIES,
                dev.vsa.core.validate.Validator.UNKNOWN_FORMAT);
        for (String code : codes) {
            assertTrue(doc.contains("`" + code + "`"), code + " is not documented");
        }
        for (ErrorCode code : ErrorCode.values()) {
            String n = code.name();
            if (n.startsWith("PLY_") || n.startsWith("SPZ_") || n.startsWith("KSPLAT_") || n.startsWith("SOG_") || n.startsWith("SPLAT_")) {
                assertTrue(doc.contains("`" + n + "`"), n + " (a splat reader code) is not documented");
            }
        }
    }
}
