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

    /** The steps, in command-line order. */
    public List<Transform> transforms() {
        return List.copyOf(transforms);
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
