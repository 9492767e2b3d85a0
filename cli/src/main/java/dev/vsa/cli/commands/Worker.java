package dev.vsa.cli.commands;

import dev.vsa.cli.BaseCommand;
import dev.vsa.cli.ExitCodes;
import dev.vsa.cli.ExitException;
import dev.vsa.processing.OpsServer;
import dev.vsa.processing.Processing;
import dev.vsa.processing.ProcessingConfig;
import dev.vsa.processing.ProcessingException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/** {@code vsa worker}: claims and runs queued jobs from the shared database until SIGTERM, without the API. */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = {"Process queued jobs (detect, validate, inspect, convert) without serving the API: run "
                + "any number of these, on any machines, next to 'vsa serve --no-worker' on the same database and "
                + "bucket. Jobs are claimed with leases: a worker that dies loses its jobs to the others.",
                "Settings also read from the environment (VSA_DATABASE_URL, VSA_DATABASE_USER, "
                        + "VSA_DATABASE_PASSWORD, VSA_S3_BUCKET, VSA_S3_REGION, VSA_S3_ENDPOINT, VSA_S3_ACCESS_KEY, "
                        + "VSA_S3_SECRET_KEY, VSA_JOBS_LEASE_SECONDS, VSA_JOBS_MAX_ATTEMPTS, ...) and "
                        + "<home>/config.properties; flags win. S3 credentials default to the AWS chain.",
                "SIGTERM/Ctrl-C: stop claiming; running jobs get --grace seconds to finish, then go back to the queue."},
        footerHeading = "%nExamples:%n",
        footer = {"  vsa worker",
                  "  vsa worker --concurrency 4 --database-url jdbc:postgresql://db/vsa --s3-bucket scenes"})
public final class Worker extends BaseCommand {
    @Option(names = {"-c", "--concurrency", "--workers"}, paramLabel = "N", defaultValue = "2",
            description = "Jobs run at once in this process (default ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--grace", paramLabel = "SECONDS", defaultValue = "30",
            description = "On SIGTERM, how long running jobs may finish before going back to the queue (default ${DEFAULT-VALUE}).")
    int grace;

    @Option(names = "--metrics-port", paramLabel = "N",
            description = "Port of this worker's /metrics, /healthz and /readyz (default $VSA_METRICS_PORT, else 9400; "
                    + "0 picks a free one; -1 serves none).")
    Integer metricsPort;

    @Option(names = "--metrics-host", paramLabel = "ADDR",
            description = "Address of that port (default $VSA_METRICS_HOST, else 127.0.0.1; 0.0.0.0 for all).")
    String metricsHost;

    @Mixin
    ProcessingOptions store;

    @Mixin
    dev.vsa.cli.LogFormatMixin logFormat;

    @Override
    protected int run() throws Exception {
        logFormat.apply();
        if (concurrency < 1 || concurrency > 256) {
            throw new ExitException(ExitCodes.USAGE, "--concurrency must be 1..256, was " + concurrency);
        }
        if (grace < 0) {
            throw new ExitException(ExitCodes.USAGE, "--grace must be >= 0, was " + grace);
        }
        String host = metricsHost != null ? metricsHost : System.getenv().getOrDefault("VSA_METRICS_HOST", "127.0.0.1");
        int port;
        try {
            port = metricsPort != null ? metricsPort
                    : Integer.parseInt(System.getenv().getOrDefault("VSA_METRICS_PORT", "9400").trim());
        } catch (NumberFormatException e) {
            throw new ExitException(ExitCodes.USAGE, "VSA_METRICS_PORT must be a whole number, was '"
                    + System.getenv("VSA_METRICS_PORT") + "'");
        }
        if (port < -1 || port > 65535) {
            throw new ExitException(ExitCodes.USAGE, "--metrics-port must be -1..65535, was " + port);
        }
        ProcessingConfig pc;
        try {
            pc = store.load();
        } catch (IllegalArgumentException e) {
            throw new ExitException(ExitCodes.USAGE, e.getMessage(), e);
        }
        Processing processing;
        try {
            processing = Processing.start(pc);
        } catch (ProcessingException e) {
            throw new ExitException(ExitCodes.IO, "cannot start: " + e.getMessage(), e);
        }
        processing.startWorkers(concurrency);
        OpsServer ops;
        try {
            ops = port < 0 ? null : OpsServer.start(processing, host, port);
        } catch (RuntimeException e) {
            processing.close();
            throw new ExitException(ExitCodes.IO, "cannot serve metrics on " + host + ":" + port + ": " + e.getMessage()
                    + " (--metrics-port picks another; -1 serves none)", e);
        }
        if (ops != null) {
            ReadyzPortFile.write(ops.port());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            err().println("vsa worker: stopping (finishing or handing back running jobs)...");
            err().flush();
            if (ops != null) {
                ops.close();
            }
            processing.close(Duration.ofSeconds(grace));
            stopped.countDown();
        }, "vsa-worker-shutdown"));
        out().println("vsa worker: " + concurrency + " worker(s) on " + (pc.embeddedDatabase()
                ? "the embedded database in " + pc.embeddedDir() : "an external database") + ", storage "
                + pc.storage() + (ops == null ? "" : "; metrics on http://" + host + ":" + ops.port() + "/metrics")
                + ". Ctrl-C stops.");
        out().flush();
        stopped.await();
        return ExitCodes.OK;
    }
}
