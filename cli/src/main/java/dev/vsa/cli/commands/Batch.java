package dev.vsa.cli.commands;

import dev.vsa.cli.BaseCommand;
import dev.vsa.cli.ExitCodes;
import dev.vsa.cli.JsonMixin;
import dev.vsa.cli.QuietMixin;
import dev.vsa.cli.TransformMixin;
import dev.vsa.cli.WriteMixin;
import dev.vsa.cli.VersionProvider;
import dev.vsa.cli.batch.BatchReport;
import dev.vsa.cli.batch.FileResult;
import dev.vsa.cli.batch.FileResult.Status;
import dev.vsa.cli.batch.Inputs;
import dev.vsa.cli.batch.JUnitReport;
import dev.vsa.cli.batch.MemoryBudget;
import dev.vsa.cli.output.Errors;
import dev.vsa.cli.output.Json;
import dev.vsa.cli.output.Progress;
import dev.vsa.cli.output.Table;
import dev.vsa.core.error.MalformedInputException;
import dev.vsa.core.progress.ProgressListener;
import dev.vsa.core.splat.SplatFormat;
import dev.vsa.core.splat.WriteOptions;
import dev.vsa.core.validate.ValidationOptions;
import dev.vsa.core.validate.ValidationReport;
import dev.vsa.core.validate.Validator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** {@code vsa batch}: converts many files in parallel, with reports for CI. */
@Command(name = "batch", mixinStandardHelpOptions = true, usageHelpWidth = 120,
        description = {
            "Convert many files in parallel. INPUTs are files, folders (searched recursively for files vsa reads) "
                    + "and globs (quote them: 'scenes/**/*.ply'). The output tree under --out mirrors each input's "
                    + "tree, with the file-name ending of the target format.",
            // a paragraph of its own, short enough for one line: wrapped, picocli may cut "a." from "ksplat"
            "Inputs that differ only in their ending keep it: a.splat and a.ksplat become a.splat.spz and a.ksplat.spz.",
            "One bad file never stops the others: each file ends ok, invalid (it fails validation or cannot be "
                    + "parsed), failed (I/O error, unsupported conversion) or skipped. Prints a summary table; "
                    + "--report-junit and --report-json write the same results for CI (see docs/cli-json.md).",
            "Memory: at most --jobs files are converted at once, and together they reserve at most 60%% of the JVM "
                    + "heap (a larger file waits and then runs alone)."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  vsa batch vsa-demo --to spz --out vsa-out",
            "  vsa batch 'scans/**/*.ply' --to glb --out out --jobs 4 --validate",
            "  vsa batch in/ --to spz --out out --report-junit junit.xml --report-json report.json",
            "  vsa batch scans --to spz --out small -t sh=0 -t decimate=0.25",
            "",
            TransformMixin.HELP})
public final class Batch extends BaseCommand {
    @Parameters(paramLabel = "INPUT", arity = "1..*",
            description = "Files, folders (recursive) and globs to convert.")
    List<String> inputs;

    @Option(names = "--to", required = true, paramLabel = "FORMAT", converter = Formats.Converter.class,
            completionCandidates = Formats.Writable.class,
            description = "Target format: ${COMPLETION-CANDIDATES}.")
    SplatFormat to;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "DIR",
            description = "Folder the converted files are written under (created if missing).")
    Path outDir;

    @Option(names = {"-j", "--jobs"}, paramLabel = "N",
            description = "Files converted in parallel, 1..256. Default: the number of processors.")
    Integer jobs;

    @Option(names = "--validate",
            description = "Validate each input first; an input with issues at --fail-on or worse is reported invalid "
                    + "and not converted.")
    boolean validate;

    @Option(names = "--fail-on", paramLabel = "SEVERITY", defaultValue = "error",
            description = "With --validate, the lowest severity that makes a file invalid: ${COMPLETION-CANDIDATES}. "
                    + "Default: ${DEFAULT-VALUE}.")
    FailOn failOn;

    @Option(names = "--report-json", paramLabel = "FILE", description = "Write the JSON report here.")
    Path reportJson;

    @Option(names = "--report-junit", paramLabel = "FILE",
            description = "Write a JUnit XML report here (one testcase per file) for GitHub Actions, GitLab or "
                    + "Jenkins.")
    Path reportJunit;

    @Option(names = "--skip-existing", description = "Leave an output that already exists alone (status skipped).")
    boolean skipExisting;

    @Mixin
    WriteMixin write;


    @Mixin
    TransformMixin transform;

    @Mixin
    QuietMixin quiet;

    @Mixin
    JsonMixin json;

    private record Task(Inputs.Input input, Path output) {
    }

    @Override
    protected int run() throws Exception {
        int n = jobs == null ? Runtime.getRuntime().availableProcessors() : jobs;
        if (n < 1 || n > 256) {
            throw new IllegalArgumentException("--jobs must be 1..256, was " + n);
        }
        WriteOptions writeOptions = write.options();
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        int exit = ExitCodes.OK;

        // Expand the arguments; a missing one is reported and the rest still run.
        List<Task> tasks = new ArrayList<>();
        Map<Path, Path> outputs = new HashMap<>();
        List<FileResult> collisions = new ArrayList<>();
        Path outAbs = outDir.toAbsolutePath().normalize();
        List<Inputs.Input> all = new ArrayList<>();
        for (String arg : inputs) {
            try {
                all.addAll(Inputs.expand(arg, Formats::readableName));
            } catch (IOException e) {
                err().println("error: " + Errors.describe(e));
                exit = ExitCodes.IO;
            }
        }
        // an earlier run's output inside an input folder is not an input
        all.removeIf(in -> in.file().toAbsolutePath().normalize().startsWith(outAbs));
        // Files that differ only in their ending (scene.splat, scene.ksplat) keep it in their outputs' names
        // (scene.splat.spz, scene.ksplat.spz), so neither overwrites the other.
        Map<Path, List<Path>> byStem = new java.util.LinkedHashMap<>();
        for (Inputs.Input in : all) {
            List<Path> same = byStem.computeIfAbsent(outDir.resolve(outputName(in.relative())).normalize(),
                    k -> new ArrayList<>());
            if (!same.contains(in.file().toAbsolutePath().normalize())) {
                same.add(in.file().toAbsolutePath().normalize());
            }
        }
        for (Map.Entry<Path, List<Path>> e : byStem.entrySet()) {
            if (e.getValue().size() > 1) {
                err().println("note: " + e.getValue().size() + " inputs would be " + e.getKey() + to.extension()
                        + ": each output keeps its input's ending (" + e.getKey().getFileName() + ".EXT" + to.extension()
                        + ")");
            }
        }
        for (Inputs.Input in : all) {
            Path stem = outDir.resolve(outputName(in.relative())).normalize();
            Path out = byStem.get(stem).size() > 1 ? outDir.resolve(in.relative()).normalize() : stem;
            Path earlier = outputs.putIfAbsent(out, in.file());
            if (earlier != null) {
                // the same file twice (two arguments name it)
                collisions.add(new FileResult(in.file().toString(), out + to.extension(), Status.failed, null, null,
                        size(in.file()), null, 0, null, "output " + out + to.extension() + " is also the output of "
                        + earlier, "OUTPUT_COLLISION"));
            } else {
                tasks.add(new Task(in, out));
            }
        }
        if (tasks.isEmpty() && collisions.isEmpty() && exit != ExitCodes.OK && !json.json()) {
            return exit; // every argument failed and said why: no empty table
        }
        Files.createDirectories(outDir);

        BatchConverter converter = new BatchConverter(to, writeOptions, transform.transforms(), validate
                ? ValidationOptions.defaults().withFailOn(failOn.severity()) : null, skipExisting,
                (long) (Runtime.getRuntime().maxMemory() * 0.6));
        List<FileResult> results = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(n, r -> {
            Thread t = new Thread(r, "vsa-batch");
            t.setDaemon(true);
            return t;
        });
        try (Progress bar = Progress.start("batch", tasks.size(), !quiet.quiet() && !json.json())) {
            List<Future<FileResult>> futures = new ArrayList<>();
            for (Task t : tasks) {
                futures.add(pool.submit(() -> {
                    FileResult r = converter.convert(t.input().file(), t.output());
                    bar.step(1);
                    return r;
                }));
            }
            for (Future<FileResult> f : futures) {
                try {
                    results.add(f.get());
                } catch (ExecutionException e) {
                    throw new IllegalStateException("batch task threw", e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        results.addAll(collisions);

        BatchReport report = report(started, (System.nanoTime() - t0) / 1e9, n, results);
        if (reportJson != null) {
            Path parent = reportJson.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(reportJson, Json.toString(report) + "\n");
        }
        if (reportJunit != null) {
            JUnitReport.write(report, reportJunit);
        }
        if (json.json()) {
            Json.print(out(), report);
        } else {
            printHuman(report);
        }
        BatchReport.Summary s = report.summary();
        if (exit == ExitCodes.OK && (s.invalid() > 0 || s.failed() > 0)) {
            exit = ExitCodes.INVALID;
        }
        return exit;
    }

    private BatchReport report(Instant started, double seconds, int n, List<FileResult> results) {
        int ok = 0, invalid = 0, failed = 0, skipped = 0;
        long in = 0, out = 0;
        for (FileResult r : results) {
            switch (r.status()) {
                case ok -> ok++;
                case invalid -> invalid++;
                case failed -> failed++;
                case skipped -> skipped++;
                default -> throw new IllegalStateException();
            }
            in += r.bytesIn();
            out += r.bytesOut() == null ? 0 : r.bytesOut();
        }
        return new BatchReport("vsa batch", VersionProvider.version(),
                started.truncatedTo(ChronoUnit.MILLIS).toString(), seconds, to.id(), n,
                new BatchReport.Summary(results.size(), ok, invalid, failed, skipped, in, out), results);
    }

    private void printHuman(BatchReport report) {
        if (!quiet.quiet()) {
            Table t = new Table("file", "status", "format", "splats", "before", "after", "time", "note");
            for (FileResult r : report.files()) {
                String note = r.error() != null ? r.error()
                        : r.issues() != null && !r.issues().isEmpty() ? r.issues().get(0).toString() : "";
                t.row(r.input(), r.status().name(), r.format(), r.splats(), Table.bytes(r.bytesIn()),
                        r.bytesOut() == null ? null : Table.bytes(r.bytesOut()),
                        String.format(Locale.ROOT, "%.2f s", r.seconds()), note);
            }
            t.print(out());
        }
        BatchReport.Summary s = report.summary();
        out().printf(Locale.ROOT, "%s: %d ok, %d invalid, %d failed, %d skipped; %s -> %s in %.2f s "
                        + "(%.1f files/s, %s)%n", Table.count(s.total(), "file"), s.ok(), s.invalid(), s.failed(), s.skipped(),
                Table.bytes(s.bytesIn()), Table.bytes(s.bytesOut()), report.seconds(),
                report.seconds() > 0 ? s.total() / report.seconds() : 0.0, Table.count(report.jobs(), "job"));
        long removed = report.files().stream().mapToLong(r -> r.removed() == null ? 0 : r.removed()).sum();
        if (report.files().stream().anyMatch(r -> r.removed() != null)) {
            out().println("filters removed " + Table.count(removed, "splat"));
        }
        List<FileResult> lossy = report.files().stream().filter(r -> r.losses() != null).toList();
        if (!lossy.isEmpty()) {
            // one line for the run (each file's in --json / --report-json)
            err().println("warning: lossy: " + lossy.size() + " of " + s.total() + " files, e.g. " + lossy.get(0).input()
                    + ": " + String.join("; ", lossy.get(0).losses()));
        }
    }

    /** The output's relative path without its ending: the input's, minus the input format's ending. */
    static Path outputName(Path relative) {
        String name = relative.getFileName().toString();
        String lower = name.toLowerCase(Locale.ROOT);
        String stem;
        if (lower.endsWith(".compressed.ply")) {
            stem = name.substring(0, name.length() - ".compressed.ply".length());
        } else {
            int dot = name.lastIndexOf('.');
            stem = dot > 0 ? name.substring(0, dot) : name;
        }
        return relative.resolveSibling(stem);
    }

    static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }

    /** Converts one file; never throws for a bad file. */
    static final class BatchConverter {
        private final SplatFormat to;
        private final WriteOptions writeOptions;
        private final List<dev.vsa.core.transform.Transform> transforms;
        private final boolean filters;
        private final ValidationOptions validation;
        private final boolean skipExisting;
        private final MemoryBudget budget;

        BatchConverter(SplatFormat to, WriteOptions writeOptions, List<dev.vsa.core.transform.Transform> transforms,
                       ValidationOptions validation, boolean skipExisting, long memory) {
            this.to = to;
            this.transforms = transforms;
            this.filters = TransformMixin.filters(transforms);
            this.writeOptions = writeOptions;
            this.validation = validation;
            this.skipExisting = skipExisting;
            this.budget = new MemoryBudget(memory);
        }

        FileResult convert(Path in, Path outBase) {
            Path out = outBase.resolveSibling(outBase.getFileName() + to.extension());
            long t0 = System.nanoTime();
            long bytesIn = size(in);
            String format = null;
            List<dev.vsa.core.validate.Issue> issues = null;
            try {
                if (skipExisting && Files.exists(out)) {
                    return new FileResult(in.toString(), out.toString(), Status.skipped, null, null, bytesIn,
                            size(out), secs(t0), null, null, null);
                }
                if (validation != null) {
                    ValidationReport vr = Validator.validate(in, validation);
                    issues = vr.issues().messages().isEmpty() ? null : vr.issues().messages();
                    if (!vr.isValid(validation.failOn())) {
                        return new FileResult(in.toString(), out.toString(), Status.invalid, null, null, bytesIn,
                                null, secs(t0), issues, null, vr.issues().messages().isEmpty() ? "INVALID"
                                : vr.issues().messages().get(0).code());
                    }
                }
                format = dev.vsa.core.scene.Scenes.detect(in).format().id();
                Files.createDirectories(out.toAbsolutePath().getParent());
                long held = budget.acquire(MemoryBudget.estimate(in));
                Conversions.Result r;
                try {
                    r = Conversions.convert(in, out, new Conversions.Options(to, writeOptions, false, transforms),
                            ProgressListener.NONE);
                } catch (IOException e) {
                    throw Conversions.namingOut(e, out);
                } finally {
                    budget.release(held);
                }
                return new FileResult(in.toString(), out.toString(), Status.ok, format, r.splats(), bytesIn, r.bytesOut(),
                        secs(t0), issues, null, null, r.losses().isEmpty() ? null : r.losses(), filters ? r.removed() : null);
            } catch (MalformedInputException e) {
                return new FileResult(in.toString(), out.toString(), Status.invalid, format, null, bytesIn, null,
                        secs(t0), issues, e.toString(), e.code().name());
            } catch (IOException e) {
                return new FileResult(in.toString(), out.toString(), Status.failed, format, null, bytesIn, null,
                        secs(t0), issues, Errors.describe(e), "IO_ERROR");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new FileResult(in.toString(), out.toString(), Status.failed, format, null, bytesIn, null,
                        secs(t0), issues, "interrupted", "INTERRUPTED");
            } catch (RuntimeException | OutOfMemoryError e) {
                boolean unsupported = e instanceof UnsupportedOperationException;
                String msg = unsupported ? "not supported: " + e.getMessage() : e.toString();
                return new FileResult(in.toString(), out.toString(), Status.failed, format, null, bytesIn, null,
                        secs(t0), issues, msg, unsupported ? "UNSUPPORTED" : "INTERNAL");
            }
        }

        private static double secs(long t0) {
            return (System.nanoTime() - t0) / 1e9;
        }
    }
}
