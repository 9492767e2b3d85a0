package dev.vsa.cli;

import dev.vsa.core.transform.Transform;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code -t/--transform SPEC}, repeatable: splat transforms applied in the order given on the command line.
 * Commands that use it show {@link #HELP} in their help.
 */
public final class TransformMixin {
    /** The footer lines that document every transform ({@link Transform#SYNTAX}, indented). */
    public static final String HELP = "Transforms (-t SPEC, repeatable, applied in the order given):%n"
            + Transform.SYNTAX;

    @Option(names = {"-t", "--transform"}, paramLabel = "SPEC", converter = Parser.class,
            description = "A transform step, e.g. translate=1,2,3, rotate=0,90,0, scale=2, filter-nan, sh=1, "
                    + "sort=morton, decimate=0.5. Repeat it: steps apply in the order given. All forms and their "
                    + "exact meaning are listed below.")
    List<Transform> transforms = new ArrayList<>();

    @Option(names = "--from-frame", paramLabel = "FRAME", description = "The axis frame the input's splats are in "
            + "(3 letters naming where +x +y +z point, one each of R/L, U/D, F/B in any order; e.g. RDF for a 3DGS "
            + "PLY, RUB for OpenGL/three.js, LUF for glTF, RFU for z-up tools; all 16 SPZ frame names work). With "
            + "--to-frame: the splats are re-expressed in that frame after the -t steps (positions, rotations and SH).")
    String fromFrame;

    @Option(names = "--to-frame", paramLabel = "FRAME", description = "The axis frame wanted in the output (see "
            + "--from-frame; both or neither).")
    String toFrame;

    /**
     * The steps, in command-line order, then the frame change if {@code --from-frame}/{@code --to-frame} are given.
     *
     * @throws IllegalArgumentException (a usage error) if only one of them is given or a name is bad
     */
    public List<Transform> transforms() {
        List<Transform> all = new ArrayList<>(transforms);
        if ((fromFrame == null) != (toFrame == null)) {
            throw new IllegalArgumentException("--from-frame and --to-frame go together");
        }
        if (fromFrame != null) {
            all.add(new Transform.Frame(fromFrame, toFrame));
        }
        return List.copyOf(all);
    }

    /** Parses one SPEC; a bad one is a usage error naming it. */
    public static final class Parser implements ITypeConverter<Transform> {
        @Override
        public Transform convert(String value) {
            try {
                return Transform.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
