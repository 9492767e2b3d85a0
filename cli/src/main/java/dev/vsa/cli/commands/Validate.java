package dev.vsa.cli.commands;

import dev.vsa.cli.BaseCommand;
import dev.vsa.cli.ExitCodes;
import dev.vsa.cli.JsonMixin;
import dev.vsa.cli.output.Json;
import dev.vsa.core.validate.Issue;
import dev.vsa.core.validate.Issues;
import dev.vsa.core.validate.Severity;
import dev.vsa.core.validate.ValidationOptions;
import dev.vsa.core.validate.ValidationReport;
import dev.vsa.core.validate.Validator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** {@code vsa validate}: checks files against their format and reports issues (Khronos glTF-Validator shape). */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {
            "Validate splat files (" + Formats.READABLE + ") and glTF/GLB mesh files and list their issues with "
                    + "stable codes.",
            "A file is invalid when it has an issue of the --fail-on severity or worse. Every file is checked even "
                    + "when an earlier one is invalid or unreadable.",
            "With --json, prints a JSON array with one report per file, each shaped like the Khronos "
                    + "glTF-Validator's report (see docs/cli-json.md)."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  vsa validate vsa-demo/demo.glb",
            "  vsa validate --fail-on warning scenes/*.ply",
            "  vsa validate --json --max-issues 10 model.gltf > report.json"})
public final class Validate extends BaseCommand {
    /** Code of the issue reported for a file that cannot be read at all. */
    public static final String IO_ERROR = "IO_ERROR";

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Files to validate.")
    List<Path> files;

    @Option(names = "--max-issues", paramLabel = "N", defaultValue = "100",
            description = "Keep at most N issues per file in the report; 0 keeps all. Default: ${DEFAULT-VALUE}.")
    int maxIssues;

    @Option(names = "--fail-on", paramLabel = "SEVERITY", defaultValue = "error",
            description = "Lowest severity that makes a file invalid: ${COMPLETION-CANDIDATES}. "
                    + "Default: ${DEFAULT-VALUE}.")
    FailOn failOn;

    @Option(names = "--ignore", paramLabel = "CODE", split = ",",
            description = "Issue codes to leave out of the report (comma-separated or repeated).")
    List<String> ignore = new ArrayList<>();

    @Mixin
    JsonMixin json;

    @Override
    protected int run() {
        if (maxIssues < 0) {
            throw new IllegalArgumentException("--max-issues must be >= 0, was " + maxIssues);
        }
        ValidationOptions options = ValidationOptions.defaults().withMaxIssues(maxIssues)
                .withIgnoredCodes(Set.copyOf(ignore)).withFailOn(failOn.severity());
        List<ValidationReport> reports = new ArrayList<>();
        int exit = ExitCodes.OK;
        for (Path f : files) {
            ValidationReport r;
            try {
                r = Validator.validate(dev.vsa.cli.InputFiles.requireRegular(f), options);
            } catch (IOException e) {
                r = ioReport(f, e);
                exit = ExitCodes.IO;
                reports.add(r);
                if (!json.json()) {
                    // the same line inspect and convert print for it
                    err().println("error: " + dev.vsa.cli.output.Errors.describe(e));
                }
                continue;
            }
            if (exit == ExitCodes.OK && !r.isValid(failOn.severity())) {
                exit = ExitCodes.INVALID;
            }
            reports.add(r);
            if (!json.json()) {
                printHuman(f, r);
            }
        }
        if (json.json()) {
            Json.print(out(), reports);
        }
        return exit;
    }

    /** A report for a file that could not be read: one {@link #IO_ERROR} error. */
    static ValidationReport ioReport(Path f, IOException e) {
        String message = dev.vsa.cli.output.Errors.describe(e);
        Issue issue = new Issue(IO_ERROR, message, Severity.ERROR, null, null);
        return new ValidationReport(f.toString(), null, Validator.VERSION, null,
                new Issues(1, 0, 0, 0, List.of(issue), false), null);
    }

    private void printHuman(Path f, ValidationReport r) {
        Issues is = r.issues();
        boolean valid = r.isValid(failOn.severity());
        out().printf("%s: %s (%s, %s, %s, %s)%n", f, valid ? "valid" : "INVALID",
                dev.vsa.cli.output.Table.count(is.numErrors(), "error"),
                dev.vsa.cli.output.Table.count(is.numWarnings(), "warning"),
                dev.vsa.cli.output.Table.count(is.numInfos(), "info"),
                dev.vsa.cli.output.Table.count(is.numHints(), "hint"));
        for (Issue i : is.messages()) {
            out().println("  " + i);
        }
        if (is.truncated()) {
            out().println("  ... more issues not shown (--max-issues " + maxIssues + ")");
        }
    }
}
