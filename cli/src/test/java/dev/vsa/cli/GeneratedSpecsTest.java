package dev.vsa.cli;

import dev.vsa.cli.commands.Convert;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.ITypeInfo;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * The picocli models of {@link GeneratedSpecs} (written by {@link SpecGenerator}) are those picocli builds from the
 * annotations: the files are what the generator writes from the annotations now, and the models agree attribute by
 * attribute, in help text and in what a command line sets.
 */
class GeneratedSpecsTest {
    /** Fails when an annotation changed and the generated files were not written again. */
    @Test
    void generatedFiles_areCurrent() throws Exception {
        boolean write = Boolean.getBoolean("vsa.generate");
        for (Map.Entry<String, String> e : SpecGenerator.generate().entrySet()) {
            Path file = Path.of("src/main/java", e.getKey());
            if (write) {
                Files.writeString(file, e.getValue());
            }
            assertEquals(e.getValue(), Files.readString(file), file + " is not what SpecGenerator writes from the "
                    + "annotations now: run GeneratedSpecsTest with -Dvsa.generate=true to write it again");
        }
    }

    /**
     * Attribute by attribute, mixins included. Two differences are allowed: the standard help options' mixin has no
     * user object (picocli's is an instance of its private AutoHelpMixin, which only reflection could make; nothing
     * reads it: the options hold their values in their own bindings), and the type information of a generated
     * collection option does not list its element type's name again (picocli reads that list only to check
     * {@code @Unmatched} fields, which are not generated; the auxiliary types, compared, are the element types).
     */
    @Test
    void models_equalTheAnnotated() {
        assertEquals(annotated(new VsaCommand()), describe(GeneratedSpecs.vsaCommand(new VsaCommand())));
        assertEquals(annotated(new Convert()), describe(dev.vsa.cli.commands.GeneratedSpecs.convert(new Convert())));
    }

    private static String annotated(Object command) {
        return describe(CommandSpec.forAnnotatedObject(command))
                .replace("userObject picocli.CommandLine$AutoHelpMixin ", "userObject - ");
    }

    /** The command lines that now get the generated models print byte for byte what the annotated tree prints. */
    @Test
    void helpAndVersion_asFromTheAnnotations() {
        for (String[] args : List.of(new String[] {"convert", "--help"}, new String[] {"convert", "-h"},
                new String[] {"--version"}, new String[] {"-x", "convert", "--help"},
                new String[] {"convert", "a.ply"}, new String[] {"convert", "a.ply", "b.spz", "--spz-version"},
                new String[] {"convert", "a.ply", "b.spz", "--to", "nope"},
                new String[] {"convert", "a.ply", "b.spz", "-t", "rotate=1"},
                new String[] {"convert", "a.ply", "b.spz", "--bogus"})) {
            String generated = run(Main.commandLine(args), args);
            assertEquals(run(Main.commandLine(), args), generated, String.join(" ", args));
        }
        assertNotEquals("", run(Main.commandLine("convert", "--help"), "convert", "--help"));
    }

    /** Every option of convert given: the fields hold the same values either way. */
    @Test
    void parsedValues_asFromTheAnnotations() {
        String[] args = {"in.ply", "out.spz", "--to", "spz", "--spz-version", "3", "--ksplat-level", "2", "--embed",
            "-t", "rotate=0,90,0", "--transform", "scale=2", "--filter", "opacity>0.05", "--from-frame", "RDF",
            "--to-frame", "RUB", "--lod", "0,2", "--lod-levels", "3", "--lod-keep", "0.4", "--lod-chunk-count", "256",
            "--lod-chunk-extent", "8", "--lod-chunk-min", "4", "--lod-file-count", "128", "--lod-input", "1=a.ply",
            "-q", "--json"};
        CommandSpec annotated = CommandSpec.forAnnotatedObject(new Convert());
        CommandSpec generated = dev.vsa.cli.commands.GeneratedSpecs.convert(new Convert());
        new CommandLine(annotated).parseArgs(args);
        new CommandLine(generated).parseArgs(args);
        assertEquals(values(annotated), values(generated));
        assertEquals(annotated.options().size(), generated.options().size());
    }

    private static String values(CommandSpec spec) {
        StringBuilder b = new StringBuilder();
        for (ArgSpec a : spec.args()) {
            Object v = a.getValue();
            b.append(a.paramLabel()).append('=').append(v instanceof Object[] arr ? Arrays.toString(arr) : v)
                    .append('\n');
        }
        return b.toString();
    }

    private static String run(CommandLine cl, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return code + "\n" + out + "\n--\n" + err;
    }

    private static String describe(CommandSpec spec) {
        StringBuilder d = new StringBuilder();
        d.append("name ").append(spec.name()).append(" aliases ").append(Arrays.toString(spec.aliases()))
                .append(" version ").append(Arrays.toString(spec.version()))
                .append(" versionProvider ").append(type(spec.versionProvider()))
                .append(" standardHelp ").append(spec.mixinStandardHelpOptions())
                .append(" helpCommand ").append(spec.helpCommand())
                .append(" scope ").append(spec.scopeType()).append(" inherited ").append(spec.inherited())
                .append(" interpolate ").append(spec.interpolateVariables())
                .append(" exit ").append(spec.exitCodeOnSuccess()).append(spec.exitCodeOnUsageHelp())
                .append(spec.exitCodeOnVersionHelp()).append(spec.exitCodeOnInvalidInput())
                .append(spec.exitCodeOnExecutionException())
                .append(" userObject ").append(type(spec.userObject()))
                .append(" defaultValueProvider ").append(type(spec.defaultValueProvider()))
                .append(" negatable ").append(type(spec.negatableOptionTransformer()))
                .append(" subcommandsRepeatable ").append(spec.subcommandsRepeatable())
                .append(" unmatched ").append(spec.unmatchedArgsBindings().size())
                .append(" groups ").append(spec.argGroups().size())
                .append(" methods ").append(spec.isAddMethodSubcommands())
                .append(" resourceBundle ").append(spec.resourceBundleBaseName()).append('\n');
        UsageMessageSpec u = spec.usageMessage();
        d.append("usage width ").append(u.width()).append(" autoWidth ").append(u.autoWidth())
                .append(" longOptionsMaxWidth ").append(u.longOptionsMaxWidth())
                .append(" abbreviate ").append(u.abbreviateSynopsis()).append(" hidden ").append(u.hidden())
                .append(" sortOptions ").append(u.sortOptions()).append(" sortSynopsis ").append(u.sortSynopsis())
                .append(" showDefaults ").append(u.showDefaultValues())
                .append(" atFile ").append(u.showAtFileInUsageHelp())
                .append(" endOfOptions ").append(u.showEndOfOptionsDelimiterInUsageHelp())
                .append(" requiredMarker ").append(u.requiredOptionMarker())
                .append(" cjk ").append(u.adjustLineBreaksForWideCJKCharacters())
                .append("\n description ").append(Arrays.toString(u.description()))
                .append("\n header ").append(Arrays.toString(u.header()))
                .append("\n footer ").append(Arrays.toString(u.footer()))
                .append("\n customSynopsis ").append(Arrays.toString(u.customSynopsis()))
                .append("\n headings ").append(List.of(u.headerHeading(), u.synopsisHeading(), u.descriptionHeading(),
                        u.parameterListHeading(), u.optionListHeading(), u.commandListHeading(), u.footerHeading(),
                        u.exitCodeListHeading(), u.synopsisSubcommandLabel()))
                .append("\n exitCodes ").append(u.exitCodeList()).append('\n');
        for (OptionSpec o : spec.options()) {
            d.append("option ").append(Arrays.toString(o.names())).append(" usageHelp ").append(o.usageHelp())
                    .append(" versionHelp ").append(o.versionHelp()).append(" help ").append(o.help())
                    .append(" negatable ").append(o.negatable()).append(" order ").append(o.order())
                    .append(" fallback ").append(o.fallbackValue()).append(" group ").append(o.group());
            arg(d, o);
        }
        for (PositionalParamSpec p : spec.positionalParameters()) {
            d.append("positional ").append(p.index()).append(' ').append(p.index().isUnspecified())
                    .append(" position ").append(p.index().originalValue());
            arg(d, p);
        }
        for (Map.Entry<String, CommandSpec> m : spec.mixins().entrySet()) {
            d.append("mixin ").append(m.getKey()).append(" {\n").append(describe(m.getValue())).append("}\n");
        }
        return d.toString();
    }

    private static void arg(StringBuilder d, ArgSpec a) {
        ITypeInfo t = a.typeInfo();
        d.append(" toString ").append(a).append(" paramLabel ").append(a.paramLabel())
                .append(" hideParamSyntax ").append(a.hideParamSyntax())
                .append(" arity ").append(a.arity()).append(' ').append(a.arity().isUnspecified())
                .append(' ').append(a.arity().originalValue())
                .append(" type ").append(a.type().getName()).append(" aux ")
                .append(Arrays.stream(a.auxiliaryTypes()).map(Class::getName).toList())
                .append(" typeInfo ").append(t.getClassName()).append(' ').append(t.getClassSimpleName())
                .append(" flags ").append(List.of(t.isArray(), t.isBoolean(), t.isCollection(), t.isEnum(), t.isMap(),
                        t.isMultiValue(), t.isOptional(), a.isMultiValue(), a.isOption(), a.isPositional()))
                .append(" converters ").append(Arrays.stream(a.converters()).map(GeneratedSpecsTest::type).toList())
                .append(" candidates ").append(a.completionCandidates() == null ? "-" : type(a.completionCandidates())
                        + list(a.completionCandidates()))
                .append(" split ").append(a.splitRegex()).append(' ').append(a.splitRegexSynopsisLabel())
                .append(" default ").append(a.defaultValue()).append(" initial ").append((Object) a.initialValue())
                .append(' ').append(a.hasInitialValue()).append(" value ").append((Object) a.getValue())
                .append(" required ").append(a.required()).append(" hidden ").append(a.hidden())
                .append(" showDefault ").append(a.showDefaultValue()).append(" scope ").append(a.scopeType())
                .append(" inherited ").append(a.inherited()).append(" interactive ").append(a.interactive())
                .append(' ').append(a.echo()).append(' ').append(a.prompt())
                .append(" description ").append(Arrays.toString(a.description()))
                .append(" descriptionKey ").append(a.descriptionKey())
                .append(" consumer ").append(type(a.parameterConsumer()))
                .append(" preprocessor ").append(type(a.preprocessor()))
                .append(" mapFallback ").append(a.mapFallbackValue())
                .append(" getter ").append(a.getter() == null ? "-" : "set")
                .append(" setter ").append(a.setter() == null ? "-" : "set").append('\n');
    }

    private static List<String> list(Iterable<String> values) {
        List<String> l = new java.util.ArrayList<>();
        values.forEach(l::add);
        return l;
    }

    private static String type(Object o) {
        return o == null ? "-" : o instanceof Supplier<?> ? "supplier" : o.getClass().getName().replaceAll("\\$\\$Lambda.*", "");
    }
}
