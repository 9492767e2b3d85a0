package dev.vsa.cli.commands;

import dev.vsa.cli.BaseCommand;
import dev.vsa.cli.ExitCodes;
import dev.vsa.cli.ExitException;
import dev.vsa.processing.Processing;
import dev.vsa.processing.ProcessingConfig;
import dev.vsa.processing.ProcessingException;
import dev.vsa.server.ServerConfig;
import dev.vsa.server.VsaServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/** {@code vsa serve}: the HTTP API, by default with an in-process worker on embedded PostgreSQL and local files. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Run the vsa HTTP API (OpenAPI at /openapi.json, explorer at /docs).",
                "With no flags: port 8000 on 127.0.0.1, one in-process worker, an embedded PostgreSQL and local "
                        + "storage, all under the vsa home (~/.vsa, or $VSA_HOME). For production give a database "
                        + "URL and an S3 bucket and run N 'vsa serve --no-worker' behind a load balancer.",
                "Every setting also reads from the environment: VSA_ + its key upper-cased (VSA_PORT, "
                        + "VSA_DATABASE_URL, VSA_S3_BUCKET, VSA_S3_REGION, VSA_S3_ENDPOINT, VSA_UPLOAD_MAX_BYTES, "
                        + "VSA_JWT_SECRET, VSA_JWT_SECRET_FILE, VSA_JWT_ISSUER, VSA_JWT_AUDIENCE, "
                        + "VSA_JWT_ACCESS_TTL_SECONDS, VSA_BCRYPT_COST, ...); flags win. Without a JWT secret one is "
                        + "generated once into <home>/jwt-secret (mode 0600).",
                "Limits, enforced before the work (each refusal has its own problem type): "
                        + "VSA_AUTH_HASH_THREADS (password hashes at once, default: one per 2 cores), VSA_AUTH_HASH_QUEUE "
                        + "(hashes that may wait, default: as many; past it 429 busy), VSA_AUTH_HASH_CPU_MILLICORES (CPU "
                        + "hashing may use on average, 500: half a core; past it 429 busy; default 0: no budget), "
                        + "VSA_AUTH_SIGNUP_MAX_PER_ADDRESS "
                        + "(10) per VSA_AUTH_SIGNUP_WINDOW_SECONDS (3600), VSA_LOGIN_MAX_FAILURES_PER_USER (5), "
                        + "VSA_LOGIN_MAX_FAILURES_PER_ADDRESS (20) per VSA_LOGIN_WINDOW_SECONDS (900), "
                        + "VSA_UPLOAD_MAX_BYTES, VSA_UPLOAD_MAX_CONCURRENT (64; past it 503), "
                        + "VSA_UPLOAD_IDLE_TIMEOUT_SECONDS (30) and VSA_UPLOAD_MIN_BYTES_PER_SECOND (1024; a slower "
                        + "upload gets 408), VSA_UPLOAD_RESUMABLE_MAX_OPEN (20 unfinished resumable uploads per "
                        + "account; past it 429) and VSA_UPLOAD_RESUMABLE_EXPIRY_SECONDS (86400: an unfinished one "
                        + "without a piece this long is deleted). VSA_CPU_BACKGROUND_NICE (10; 0: off): hashing and job threads run at "
                        + "this nice value (hashing threads with VSA_CPU_BACKGROUND_IDLE, true, under SCHED_IDLE), so "
                        + "requests win the CPU from them.",
                "The embedded PostgreSQL asks for a password kept in <home>/pg.password (mode 0600) and syncs "
                        + "every commit to disk (VSA_DATABASE_EMBEDDED_DURABLE=false trades that for speed).",
                "SIGTERM/Ctrl-C: /readyz turns 503, requests in flight finish, workers finish or hand back their jobs."},
        footerHeading = "%nExamples:%n",
        footer = {"  vsa serve",
                  "  vsa serve --port 9000 --host 0.0.0.0",
                  "  VSA_JWT_SECRET_FILE=/run/secrets/jwt vsa serve --no-worker \\",
                  "      --database-url jdbc:postgresql://db/vsa --s3-bucket scenes --s3-region eu-west-1"})
public final class Serve extends BaseCommand {
    @Option(names = "--port", paramLabel = "N", description = "TCP port (default 8000; 0 picks a free one).")
    Integer port;

    @Option(names = "--host", paramLabel = "ADDR", description = "Address to bind (default 127.0.0.1; 0.0.0.0 for all).")
    String host;

    @Option(names = "--no-worker", description = "Serve the API only; run workers elsewhere ('vsa worker').")
    boolean noWorker;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "1",
            description = "In-process workers (default ${DEFAULT-VALUE}).")
    int workers;

    @Mixin
    ProcessingOptions store;

    @Mixin
    dev.vsa.cli.LogFormatMixin logFormat;

    @Option(names = "--jwt-secret-file", paramLabel = "FILE", description = "File holding the JWT signing secret.")
    Path jwtSecretFile;

    @Option(names = "--jwt-issuer", paramLabel = "ISS", description = "JWT issuer (default vsa).")
    String jwtIssuer;

    @Option(names = "--jwt-audience", paramLabel = "AUD", description = "JWT audience (default vsa-api).")
    String jwtAudience;

    @Option(names = "--access-token-ttl", paramLabel = "SECONDS", description = "Access token lifetime (default 900).")
    Long accessTtl;

    @Option(names = "--public-url", paramLabel = "URL",
            description = "Base URL clients reach the API at, for the links in answers (status_url, job_url; "
                    + "VSA_PUBLIC_URL). Default: the bind address; never the request's Host header.")
    String publicUrl;

    @Override
    protected int run() throws Exception {
        logFormat.apply();
        Map<String, String> env = System.getenv();
        Map<String, String> s = new HashMap<>();
        put(s, ServerConfig.PORT, port);
        put(s, ServerConfig.HOST, host);
        put(s, ServerConfig.WORKER, noWorker ? "false" : null);
        put(s, ServerConfig.JWT_SECRET_FILE, jwtSecretFile);
        put(s, ServerConfig.JWT_ISSUER, jwtIssuer);
        put(s, ServerConfig.JWT_AUDIENCE, jwtAudience);
        put(s, ServerConfig.JWT_ACCESS_TTL, accessTtl);
        put(s, ServerConfig.PUBLIC_URL, publicUrl);
        if (workers < 1) {
            throw new IllegalArgumentException("--workers must be >= 1, was " + workers);
        }
        ProcessingConfig pc;
        ServerConfig sc;
        try {
            pc = store.load();
            sc = ServerConfig.load(s, env, pc.home());
        } catch (IllegalArgumentException e) {
            throw new ExitException(ExitCodes.USAGE, e.getMessage(), e);
        }
        Processing processing;
        try {
            processing = Processing.start(pc);
        } catch (ProcessingException e) {
            throw new ExitException(ExitCodes.IO, "cannot start: " + e.getMessage(), e);
        }
        VsaServer server;
        try {
            if (sc.worker()) {
                processing.startWorkers(workers);
            }
            server = VsaServer.start(sc, processing);
        } catch (RuntimeException e) {
            processing.close();
            throw new ExitException(ExitCodes.IO, "cannot start the API on " + sc.host() + ":" + sc.port() + ": "
                    + e.getMessage(), e);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            err().println("vsa serve: stopping (draining requests, finishing jobs)...");
            err().flush();
            server.close();
            processing.close(Duration.ofSeconds(20));
            stopped.countDown();
        }, "vsa-serve-shutdown"));
        ReadyzPortFile.write(server.port());
        out().println("vsa API on " + server.baseUrl() + "  (docs: " + server.baseUrl() + "/docs)");
        out().println("  " + (sc.worker() ? workers + " worker(s) in this process" : "no worker (--no-worker)")
                + "; database: " + (pc.embeddedDatabase() ? "embedded PostgreSQL in " + pc.embeddedDir() : "external")
                + "; storage: " + pc.storage());
        out().println("  Ctrl-C stops.");
        out().flush();
        stopped.await();
        return ExitCodes.OK;
    }

    private static void put(Map<String, String> m, String key, Object value) {
        ProcessingOptions.put(m, key, value);
    }
}
