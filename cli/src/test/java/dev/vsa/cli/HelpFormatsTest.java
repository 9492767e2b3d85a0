package dev.vsa.cli;

import dev.vsa.cli.commands.Formats;
import dev.vsa.core.splat.SplatFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The commands that take scene files say in --help which formats they read: every one vsa reads. */
class HelpFormatsTest {
    /** How the help names a format. */
    private static String named(SplatFormat f) {
        return switch (f) {
            case PLY -> "PLY";
            case COMPRESSED_PLY -> "compressed PLY";
            case GLB, GLB_SPZ, GLTF -> "GLB/glTF";
            case LOD -> "LOD sets";
            default -> f.extension();
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"upload", "validate", "convert"})
    void help_namesEveryFormatVsaReads(String command) {
        String description = String.join(" ", Main.commandLine().getSubcommands().get(command).getCommandSpec()
                .usageMessage().description());
        assertTrue(description.contains(Formats.READABLE), command + ": the one list, not another: " + description);
        for (SplatFormat f : SplatFormat.values()) {
            if (f.readable()) {
                assertTrue(description.contains(named(f)), command + " --help does not name " + named(f) + ": "
                        + description);
            }
        }
    }
}
