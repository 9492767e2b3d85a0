package dev.vsa.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vsa.core.transform.Transform;
import dev.vsa.processing.InvalidRequestException;
import dev.vsa.processing.ProcessingOptions;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/**
 * What the server's process job should make of an upload (or a re-processed scene): {@code --outputs},
 * {@code -t/--transform}, {@code --from-frame/--to-frame}, {@code --spz-version}. Checked here with the server's
 * own rules ({@link ProcessingOptions}), so a typo is a usage error before a byte is sent.
 */
public final class ProcessingMixin {
    /** The footer lines of commands that use it. */
    public static final String HELP = "Processing options (what the server's process job makes; defaults: spz, glb and "
            + "preview,%n  no transforms, SPZ 4; the validation report is always made):%n"
            + "  --outputs spz,glb,sog,ply,preview  what to make. A splat output in the original's own format is%n"
            + "                       skipped unless transforms or another SPZ version change it.%n"
            + "  -t SPEC, --from-frame/--to-frame  the same transforms and frame change as 'vsa convert' (they apply%n"
            + "                       to splat scenes, to every splat output and to the preview):%n"
            + Transform.SYNTAX;

    @Option(names = "--outputs", paramLabel = "LIST", split = ",",
            description = "What the server makes: any of spz, glb, sog, ply, preview (comma-separated).")
    List<String> outputs;

    @Option(names = {"-t", "--transform"}, paramLabel = "SPEC",
            description = "A splat transform step for the outputs (as 'vsa convert -t'), e.g. sort=morton, "
                    + "filter-nan, rotate=0,0,180; repeat it, steps apply in the order given.")
    List<String> transforms = new ArrayList<>();

    @Option(names = "--from-frame", paramLabel = "FRAME", description = "The axis frame the splats are in (e.g. RUB); "
            + "with --to-frame, the outputs are re-expressed in that frame after the -t steps.")
    String fromFrame;

    @Option(names = "--to-frame", paramLabel = "FRAME", description = "The frame wanted in the outputs (e.g. RDF).")
    String toFrame;

    @Option(names = "--spz-version", paramLabel = "N", description = "SPZ version of scene.spz: 3 (gzip, for older "
            + "readers) or 4 (zstd, the default).")
    Integer spzVersion;

    /** Whether any option was given (else the server's defaults apply and nothing is sent). */
    public boolean given() {
        return outputs != null || !transforms.isEmpty() || fromFrame != null || toFrame != null || spzVersion != null;
    }

    /**
     * The options as the API's JSON, or null if none was given.
     *
     * @throws IllegalArgumentException (a usage error) naming the option at fault
     */
    public ObjectNode json() {
        if (!given()) {
            return null;
        }
        try {
            return ProcessingOptions.of(outputs == null ? null : String.join(",", outputs), transforms, fromFrame,
                    toFrame, spzVersion == null ? null : spzVersion.toString()).toJson();
        } catch (InvalidRequestException e) {
            throw new IllegalArgumentException(flag(e.field()) + ": " + e.getMessage());
        }
    }

    private static String flag(String field) {
        return switch (field) {
            case "transforms" -> "--transform";
            default -> "--" + field.replace('_', '-');
        };
    }
}
