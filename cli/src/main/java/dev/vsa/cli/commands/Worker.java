package dev.vsa.cli.commands;

import dev.vsa.cli.BaseCommand;
import dev.vsa.cli.ExitCodes;
import dev.vsa.cli.ExitException;
import dev.vsa.processing.Processing;
import dev.vsa.processing.ProcessingConfig;
import dev.vsa.processing.ProcessingException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/** {@code vsa worker}: processes queued jobs, without the HTTP API. */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = {"Process queued jobs (validation, inspection, conversions) without serving the API: run "
                + "any number of these next to 'vsa serve --no-worker', on the same database and bucket.",
                "SIGTERM/Ctrl-C: running jobs get 30 s to finish, then go back to the queue."},
        footerHeading = "%nExamples:%n",
        footer = {"  vsa worker --workers 4 --database-url jdbc:postgresql://db/vsa --s3-bucket scenes"})
public final class Worker extends BaseCommand {
    @Option(names = "--workers", paramLabel = "N", defaultValue = "2", description = "Jobs run at once (default ${DEFAULT-VALUE}).")
    int workers;

    @Mixin
    ProcessingOptions store;

    @Override
    protected int run() throws Exception {
        if (workers < 1 || workers > 256) {
            throw new IllegalArgumentException("--workers must be 1..256, was " + workers);
        }
        ProcessingConfig pc = store.load();
        Processing processing;
        try {
            processing = Processing.start(pc);
        } catch (ProcessingException e) {
            throw new ExitException(ExitCodes.IO, "cannot start: " + e.getMessage(), e);
        }
        processing.startWorkers(workers);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            processing.close(Duration.ofSeconds(30));
            stopped.countDown();
        }, "vsa-worker-shutdown"));
        out().println("vsa worker: " + workers + " worker(s) on " + (pc.embeddedDatabase() ? "the embedded database in "
                + pc.embeddedDir() : "an external database") + ", storage " + pc.storage() + ". Ctrl-C stops.");
        out().flush();
        stopped.await();
        return ExitCodes.OK;
    }
}
