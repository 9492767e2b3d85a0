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
            + Transform.SYNTAX + "%n%nFilter columns (--filter NAME OP NUMBER, OP one of < <= > >= == !=):%n"
            + Transform.ValueFilter.COLUMNS;

    @Option(names = "--filter", paramLabel = "EXPR", converter = FilterParser.class,
            description = "Keep only splats for which EXPR holds, tested on the input's values before the -t steps: "
                    + "NAME OP NUMBER, several joined by ',' or by repeating --filter (all must hold). Names in the "
                    + "units people think in: opacity 0-1, scale_0..2/scale_max/scale_min in scene units, red/green/"
                    + "blue 0-1, x/y/z; raw_opacity, raw_scale_0.. for the stored logit/log values (all listed below). "
                    + "E.g. --filter 'opacity>0.05' --filter 'scale_max<2'. The summary and --json say how many were "
                    + "removed.")
    List<Transform.ValueFilter> filters = new ArrayList<>();

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
     * The {@code --filter}s, then the steps in command-line order, then the frame change if {@code --from-frame}/{@code --to-frame} are given.
     *
     * @throws IllegalArgumentException (a usage error) if only one of them is given or a name is bad
     */
    public List<Transform> transforms() {
        List<Transform> all = new ArrayList<>(filters);
        all.addAll(transforms);
        if ((fromFrame == null) != (toFrame == null)) {
            throw new IllegalArgumentException("--from-frame and --to-frame go together");
        }
        if (fromFrame != null) {
            all.add(new Transform.Frame(fromFrame, toFrame));
        }
        return List.copyOf(all);
    }

    /** Whether any step can drop splats (so a count of removed splats means something). */
    public boolean filters() {
        return filters(transforms());
    }

    /** Whether any of {@code steps} can drop splats. */
    public static boolean filters(List<Transform> steps) {
        return steps.stream().anyMatch(t -> t instanceof Transform.ValueFilter || t instanceof Transform.FilterNan
                || t instanceof Transform.Box || t instanceof Transform.Sphere || t instanceof Transform.Decimate);
    }

    /** Parses one --filter EXPR; a bad one is a usage error naming it. */
    public static final class FilterParser implements ITypeConverter<Transform.ValueFilter> {
        @Override
        public Transform.ValueFilter convert(String value) {
            try {
                return Transform.ValueFilter.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
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
