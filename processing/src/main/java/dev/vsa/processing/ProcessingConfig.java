package dev.vsa.processing;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Everything {@link Processing} needs, resolved once and validated at start-up.
 *
 * <p>Each setting has a key (e.g. {@code database.url}). Precedence: an explicit value (the CLI's flags) >
 * environment variable ({@code VSA_} + key upper-cased, dots and dashes as underscores:
 * {@code VSA_DATABASE_URL}) > {@code config.properties} in the vsa home > default. Build one with
 * {@link #load(Map, Map, Path)}; a bad value throws {@link ConfigException} naming the key.
 *
 * @param home              the vsa home ({@code ~/.vsa}): embedded database and local objects live under it
 * @param databaseUrl       JDBC URL of an external PostgreSQL, or null to run the embedded one
 * @param databaseUser      user for {@code databaseUrl}, or null (then the URL's own)
 * @param databasePassword  password for {@code databaseUrl}, or null
 * @param databasePoolSize  connections in the pool (30: requests run on virtual threads, and a connection handed
 *                          to a waiting request stays reserved until the scheduler runs it; under load on 2 cores
 *                          10 kept 150 requests waiting, 100 ms a connection; bench/auth-load.sh)
 * @param databasePoolTimeout how long a request waits for a pooled connection before it fails (503 from the API;
 *                          {@code database.pool-timeout-ms}, 5000)
 * @param embeddedDir       data directory of the embedded PostgreSQL
 * @param embeddedPort      port of the embedded PostgreSQL; 0 picks a free one once and remembers it
 * @param storage           where objects go
 * @param maxUploadBytes    largest upload (all parts together, and unzipped content) accepted
 * @param leaseDuration     how long a claimed job is a worker's before others may take it; heartbeats renew it
 * @param maxAttempts       attempts of a job before a transient failure becomes final
 * @param retryBaseDelay    first retry delay; doubles each attempt (capped at 5 minutes)
 * @param pollInterval      how often idle workers look for jobs when no notification arrives
 * @param webhooksAllowPrivate  whether webhooks may target loopback and private addresses (tests, local setups)
 * @param webhooksTimeout       how long a webhook delivery waits to connect and for the answer's headers
 * @param webhooksMaxAttempts   attempts of a webhook delivery before it is marked failed
 * @param embeddedDurable   the embedded PostgreSQL syncs commits to disk (fsync, synchronous_commit): on by default,
 *                          so an acknowledged upload survives an OS crash; tests may turn it off for speed
 * @param limits            what requests and jobs may cost (see {@link Limits})
 * @param directUploadExpiry how long a direct-to-storage upload (S3 only) stays open, and its presigned part URLs
 *                          valid; then its multipart upload is aborted ({@code upload.direct.expiry-seconds}, 3600)
 * @param resumableExpiry   how long an unfinished resumable (tus) upload waits for its next piece before it is deleted
 *                          with its pieces, and a finished one remembers its scene
 *                          ({@code upload.resumable.expiry-seconds}, 86400)
 */
public record ProcessingConfig(Path home, String databaseUrl, String databaseUser, String databasePassword,
                               int databasePoolSize, Duration databasePoolTimeout, Path embeddedDir, int embeddedPort, StorageConfig storage,
                               long maxUploadBytes, Duration leaseDuration, int maxAttempts,
                               Duration retryBaseDelay, Duration pollInterval, boolean webhooksAllowPrivate,
                               Duration webhooksTimeout, int webhooksMaxAttempts, boolean embeddedDurable,
                               Limits limits, Duration directUploadExpiry, Duration resumableExpiry) {

    public static final String HOME = "home";
    public static final String DATABASE_URL = "database.url";
    public static final String DATABASE_USER = "database.user";
    public static final String DATABASE_PASSWORD = "database.password";
    public static final String DATABASE_POOL_SIZE = "database.pool-size";
    public static final String DATABASE_POOL_TIMEOUT = "database.pool-timeout-ms";
    public static final String EMBEDDED_DIR = "database.embedded.dir";
    public static final String EMBEDDED_PORT = "database.embedded.port";
    public static final String EMBEDDED_DURABLE = "database.embedded.durable";
    public static final String STORAGE_TYPE = "storage.type";
    public static final String STORAGE_DIR = "storage.dir";
    public static final String S3_BUCKET = "s3.bucket";
    public static final String S3_REGION = "s3.region";
    public static final String S3_ENDPOINT = "s3.endpoint";
    public static final String S3_PUBLIC_ENDPOINT = "s3.public-endpoint";
    public static final String S3_PATH_STYLE = "s3.path-style";
    public static final String S3_ACCESS_KEY = "s3.access-key";
    public static final String S3_SECRET_KEY = "s3.secret-key";
    public static final String S3_CHECKSUM_WHEN_REQUIRED = "s3.checksum-when-required";
    public static final String S3_PRESIGN_TTL = "s3.presign-ttl-seconds";
    public static final String UPLOAD_MAX_BYTES = "upload.max-bytes";
    public static final String JOBS_LEASE = "jobs.lease-seconds";
    public static final String JOBS_MAX_ATTEMPTS = "jobs.max-attempts";
    public static final String JOBS_RETRY_BASE = "jobs.retry-base-ms";
    public static final String JOBS_POLL = "jobs.poll-ms";
    public static final String WEBHOOKS_ALLOW_PRIVATE = "webhooks.allow-private-targets";
    public static final String WEBHOOKS_TIMEOUT = "webhooks.timeout-seconds";
    public static final String WEBHOOKS_MAX_ATTEMPTS = "webhooks.max-attempts";
    public static final String DIRECT_UPLOAD_EXPIRY = "upload.direct.expiry-seconds";
    public static final String RESUMABLE_EXPIRY = "upload.resumable.expiry-seconds";

    /** Every key {@link #load} understands, for help texts and for rejecting typos in config files. */
    public static final List<String> KEYS = java.util.stream.Stream.concat(java.util.stream.Stream.of(HOME,
            DATABASE_URL, DATABASE_USER, DATABASE_PASSWORD, DATABASE_POOL_SIZE, DATABASE_POOL_TIMEOUT, EMBEDDED_DIR, EMBEDDED_PORT,
            EMBEDDED_DURABLE, STORAGE_TYPE, STORAGE_DIR, S3_BUCKET, S3_REGION, S3_ENDPOINT, S3_PUBLIC_ENDPOINT,
            S3_PATH_STYLE, S3_ACCESS_KEY, S3_SECRET_KEY, S3_CHECKSUM_WHEN_REQUIRED, S3_PRESIGN_TTL, UPLOAD_MAX_BYTES, JOBS_LEASE,
            JOBS_MAX_ATTEMPTS, JOBS_RETRY_BASE, JOBS_POLL, WEBHOOKS_ALLOW_PRIVATE, WEBHOOKS_TIMEOUT,
            WEBHOOKS_MAX_ATTEMPTS, DIRECT_UPLOAD_EXPIRY, RESUMABLE_EXPIRY), Limits.KEYS.stream()).toList();

    /** Default largest upload: 2 GiB. */
    public static final long DEFAULT_MAX_UPLOAD_BYTES = 2L << 30;

    /**
     * Validates the combination.
     *
     * @throws ConfigException naming the first bad key
     */
    public ProcessingConfig {
        require(home != null, HOME, "must be set");
        require(storage != null, STORAGE_TYPE, "must be set");
        require(databasePoolSize >= 2 && databasePoolSize <= 200, DATABASE_POOL_SIZE,
                "must be 2..200, was " + databasePoolSize);
        require(databasePoolTimeout != null && databasePoolTimeout.toMillis() >= 250
                && databasePoolTimeout.toMillis() <= 600_000, DATABASE_POOL_TIMEOUT, "must be 250..600000 ms");
        require(databaseUrl != null || embeddedDir != null, EMBEDDED_DIR, "must be set when there is no " + DATABASE_URL);
        require(databaseUrl == null || databaseUrl.startsWith("jdbc:postgresql:"), DATABASE_URL,
                "must start with jdbc:postgresql:, was " + databaseUrl);
        require(embeddedPort >= 0 && embeddedPort <= 65535, EMBEDDED_PORT, "must be 0..65535, was " + embeddedPort);
        require(maxUploadBytes > 0, UPLOAD_MAX_BYTES, "must be > 0, was " + maxUploadBytes);
        require(leaseDuration != null && leaseDuration.toMillis() >= 1000, JOBS_LEASE, "must be >= 1 s");
        require(maxAttempts >= 1 && maxAttempts <= 100, JOBS_MAX_ATTEMPTS, "must be 1..100, was " + maxAttempts);
        require(retryBaseDelay != null && !retryBaseDelay.isNegative(), JOBS_RETRY_BASE, "must be >= 0");
        require(pollInterval != null && pollInterval.toMillis() >= 10, JOBS_POLL, "must be >= 10 ms");
        require(webhooksTimeout != null && webhooksTimeout.toSeconds() >= 1 && webhooksTimeout.toSeconds() <= 60,
                WEBHOOKS_TIMEOUT, "must be 1..60 s");
        require(webhooksMaxAttempts >= 1 && webhooksMaxAttempts <= 20, WEBHOOKS_MAX_ATTEMPTS,
                "must be 1..20, was " + webhooksMaxAttempts);
        require(limits != null, Limits.HASH_THREADS, "limits must be set");
        require(directUploadExpiry != null && directUploadExpiry.toSeconds() >= 60
                && directUploadExpiry.toSeconds() <= 7 * 86400,
                DIRECT_UPLOAD_EXPIRY, "must be 60 s .. 7 days (S3's longest presigned URL)");
        require(resumableExpiry != null && resumableExpiry.toSeconds() >= 60
                && resumableExpiry.toSeconds() <= 30 * 86400, RESUMABLE_EXPIRY, "must be 60 s .. 30 days");
    }

    /** The default vsa home: {@code $HOME/.vsa}. */
    public static Path defaultHome() {
        return defaultHome(System.getenv());
    }

    /**
     * {@code $HOME/.vsa} from {@code env} (as shells and every other tool resolve {@code ~}), else Java's
     * {@code user.home} (which comes from the password database and ignores a changed {@code HOME}).
     */
    public static Path defaultHome(Map<String, String> env) {
        String home = env.get("HOME");
        return Path.of(home != null && !home.isBlank() && Path.of(home).isAbsolute() ? home
                : System.getProperty("user.home"), ".vsa");
    }

    /** Environment variable for a key: {@code database.url} -> {@code VSA_DATABASE_URL}. */
    public static String envName(String key) {
        return "VSA_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /**
     * Configuration from the environment and the config file only (no flags).
     *
     * @see #load(Map, Map, Path)
     */
    public static ProcessingConfig fromEnvironment(Map<String, String> env, Path vsaHome) {
        return load(Map.of(), env, vsaHome);
    }

    /**
     * Resolves every key: {@code explicit} (flags, by key) > {@code env} ({@code VSA_*}) >
     * {@code <home>/config.properties} > defaults.
     *
     * @param explicit values given on the command line (or by a test), by key; null values are ignored
     * @param env      the process environment ({@code System.getenv()})
     * @param vsaHome  the vsa home, or null for the {@code home} key / {@code VSA_HOME} / {@code ~/.vsa}
     * @throws ConfigException naming the key of a bad or unreadable value
     */
    public static ProcessingConfig load(Map<String, String> explicit, Map<String, String> env, Path vsaHome) {
        for (String k : explicit.keySet()) {
            require(KEYS.contains(k), k, "is not a known setting (known: " + KEYS + ")");
        }
        Map<String, String> values = new LinkedHashMap<>();
        Path home = vsaHome;
        String homeValue = first(explicit.get(HOME), env.get(envName(HOME)));
        if (homeValue != null) {
            home = path(HOME, homeValue);
        }
        if (home == null) {
            home = defaultHome(env);
        }
        Path file = home.resolve("config.properties");
        if (Files.isRegularFile(file)) {
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(file)) {
                p.load(in);
            } catch (IOException | IllegalArgumentException e) {
                throw new ConfigException(HOME, "cannot read " + file + ": " + e.getMessage());
            }
            for (String k : p.stringPropertyNames()) {
                require(KEYS.contains(k), k, "in " + file + " is not a known setting (known: " + KEYS + ")");
                values.put(k, p.getProperty(k).trim());
            }
        }
        for (String k : KEYS) {
            String v = first(explicit.get(k), env.get(envName(k)));
            if (v != null) {
                values.put(k, v.trim());
            }
        }
        values.values().removeIf(String::isEmpty);

        String url = values.get(DATABASE_URL);
        StorageConfig.Type type = switch (values.getOrDefault(STORAGE_TYPE, values.containsKey(S3_BUCKET) ? "s3" : "local")
                .toLowerCase(Locale.ROOT)) {
            case "local" -> StorageConfig.Type.LOCAL;
            case "s3" -> StorageConfig.Type.S3;
            default -> throw new ConfigException(STORAGE_TYPE, "must be local or s3, was " + values.get(STORAGE_TYPE));
        };
        URI endpoint = values.containsKey(S3_ENDPOINT) ? uri(S3_ENDPOINT, values.get(S3_ENDPOINT)) : null;
        StorageConfig storage = new StorageConfig(type,
                values.containsKey(STORAGE_DIR) ? path(STORAGE_DIR, values.get(STORAGE_DIR)) : home.resolve("objects"),
                values.get(S3_BUCKET),
                values.getOrDefault(S3_REGION, "us-east-1"),
                endpoint,
                bool(S3_PATH_STYLE, values.getOrDefault(S3_PATH_STYLE, String.valueOf(endpoint != null))),
                values.get(S3_ACCESS_KEY),
                values.get(S3_SECRET_KEY),
                // S3-compatible servers (MinIO, S3Proxy) refuse the SDK's default streaming checksum trailers.
                bool(S3_CHECKSUM_WHEN_REQUIRED, values.getOrDefault(S3_CHECKSUM_WHEN_REQUIRED, String.valueOf(endpoint != null))),
                Duration.ofSeconds(number(S3_PRESIGN_TTL, values.getOrDefault(S3_PRESIGN_TTL, "900"))),
                values.containsKey(S3_PUBLIC_ENDPOINT) ? uri(S3_PUBLIC_ENDPOINT, values.get(S3_PUBLIC_ENDPOINT)) : null);
        return new ProcessingConfig(home, url, values.get(DATABASE_USER), values.get(DATABASE_PASSWORD),
                (int) number(DATABASE_POOL_SIZE, values.getOrDefault(DATABASE_POOL_SIZE, "30")),
                Duration.ofMillis(number(DATABASE_POOL_TIMEOUT, values.getOrDefault(DATABASE_POOL_TIMEOUT, "5000"))),
                values.containsKey(EMBEDDED_DIR) ? path(EMBEDDED_DIR, values.get(EMBEDDED_DIR)) : home.resolve("pg"),
                (int) number(EMBEDDED_PORT, values.getOrDefault(EMBEDDED_PORT, "0")),
                storage,
                number(UPLOAD_MAX_BYTES, values.getOrDefault(UPLOAD_MAX_BYTES, String.valueOf(DEFAULT_MAX_UPLOAD_BYTES))),
                Duration.ofSeconds(number(JOBS_LEASE, values.getOrDefault(JOBS_LEASE, "30"))),
                (int) number(JOBS_MAX_ATTEMPTS, values.getOrDefault(JOBS_MAX_ATTEMPTS, "5")),
                Duration.ofMillis(number(JOBS_RETRY_BASE, values.getOrDefault(JOBS_RETRY_BASE, "2000"))),
                Duration.ofMillis(number(JOBS_POLL, values.getOrDefault(JOBS_POLL, "1000"))),
                bool(WEBHOOKS_ALLOW_PRIVATE, values.getOrDefault(WEBHOOKS_ALLOW_PRIVATE, "false")),
                Duration.ofSeconds(number(WEBHOOKS_TIMEOUT, values.getOrDefault(WEBHOOKS_TIMEOUT, "10"))),
                (int) number(WEBHOOKS_MAX_ATTEMPTS, values.getOrDefault(WEBHOOKS_MAX_ATTEMPTS, "8")),
                bool(EMBEDDED_DURABLE, values.getOrDefault(EMBEDDED_DURABLE, "true")),
                Limits.load(values),
                Duration.ofSeconds(number(DIRECT_UPLOAD_EXPIRY, values.getOrDefault(DIRECT_UPLOAD_EXPIRY, "3600"))),
                Duration.ofSeconds(number(RESUMABLE_EXPIRY, values.getOrDefault(RESUMABLE_EXPIRY, "86400"))));
    }

    /** True when the embedded PostgreSQL is used (no {@code database.url}). */
    public boolean embeddedDatabase() {
        return databaseUrl == null;
    }

    /** A description safe to print: no password, no secret key. */
    @Override
    public String toString() {
        return "ProcessingConfig[home=" + home + ", database=" + (databaseUrl == null ? "embedded " + embeddedDir
                : redact(databaseUrl)) + ", storage=" + storage + ", maxUploadBytes=" + maxUploadBytes
                + ", lease=" + leaseDuration + ", maxAttempts=" + maxAttempts + "]";
    }

    private static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&]*", "$1***");
    }

    private static String first(String a, String b) {
        return a != null ? a : b;
    }

    static void require(boolean ok, String key, String message) {
        if (!ok) {
            throw new ConfigException(key, message);
        }
    }

    static long number(String key, String value) {
        try {
            return Long.parseLong(value.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new ConfigException(key, "must be a whole number, was '" + value + "'");
        }
    }

    static boolean bool(String key, String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> throw new ConfigException(key, "must be true or false, was '" + value + "'");
        };
    }

    private static Path path(String key, String value) {
        try {
            if (value.equals("~") || value.startsWith("~/")) {
                value = System.getProperty("user.home") + value.substring(1);
            }
            return Path.of(value).toAbsolutePath();
        } catch (InvalidPathException e) {
            throw new ConfigException(key, "is not a valid path: '" + value + "'");
        }
    }

    private static URI uri(String key, String value) {
        try {
            URI u = new URI(value);
            require(u.getScheme() != null && u.getHost() != null
                    && (u.getScheme().equals("http") || u.getScheme().equals("https")), key,
                    "must be an http(s) URL, was '" + value + "'");
            return u;
        } catch (URISyntaxException e) {
            throw new ConfigException(key, "is not a URL: '" + value + "'");
        }
    }
}
