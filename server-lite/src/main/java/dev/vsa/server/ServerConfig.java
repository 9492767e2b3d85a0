package dev.vsa.server;

import dev.vsa.server.auth.JwtSecrets;
import dev.vsa.server.auth.PasswordHasher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The HTTP layer's own settings (database and storage settings are processing's {@code ProcessingConfig}).
 * Precedence: explicit values (the {@code vsa serve} flags) > environment ({@code VSA_} + key upper-cased, dots
 * and dashes as underscores, e.g. {@code VSA_JWT_ACCESS_TTL_SECONDS}) > defaults. Validated on construction;
 * a bad value throws {@link IllegalArgumentException} naming the key.
 *
 * @param host              address to bind ({@code 127.0.0.1} by default: set {@code 0.0.0.0} behind a proxy)
 * @param port              TCP port (8000); 0 picks a free one
 * @param worker            run an in-process worker next to the API
 * @param jwtSecret         HS256 secret (at least 32 bytes)
 * @param jwtIssuer         {@code iss} written and required
 * @param jwtAudience       {@code aud} written and required
 * @param accessTtl         lifetime of access tokens (15 minutes)
 * @param refreshTtl        lifetime of refresh tokens (30 days)
 * @param bcryptCost        bcrypt cost, at least 10 (12)
 * @param loginMaxPerUser   failed logins per username within {@code loginWindow} before 429 (5)
 * @param loginMaxPerAddress failed logins per client address within {@code loginWindow} before 429 (20)
 * @param loginWindow       the throttling window (15 minutes)
 * @param shutdownGrace     how long in-flight requests may finish at shutdown (20 s)
 * @param publicUrl         the base URL clients reach the API at (e.g. {@code https://vsa.example.org}), used for
 *                          the links in answers ({@code status_url}, {@code job_url}, file URLs); null: the bind
 *                          address. Never taken from a request's {@code Host} header.
 */
public record ServerConfig(String host, int port, boolean worker, byte[] jwtSecret, String jwtIssuer,
                           String jwtAudience, Duration accessTtl, Duration refreshTtl, int bcryptCost,
                           int loginMaxPerUser, int loginMaxPerAddress, Duration loginWindow,
                           Duration shutdownGrace, String publicUrl) {
    public static final String HOST = "host";
    public static final String PORT = "port";
    public static final String WORKER = "worker";
    public static final String JWT_SECRET = "jwt.secret";
    public static final String JWT_SECRET_FILE = "jwt.secret-file";
    public static final String JWT_ISSUER = "jwt.issuer";
    public static final String JWT_AUDIENCE = "jwt.audience";
    public static final String JWT_ACCESS_TTL = "jwt.access-ttl-seconds";
    public static final String JWT_REFRESH_TTL = "jwt.refresh-ttl-seconds";
    public static final String BCRYPT_COST = "bcrypt.cost";
    public static final String LOGIN_MAX_PER_USER = "login.max-failures-per-user";
    public static final String LOGIN_MAX_PER_ADDRESS = "login.max-failures-per-address";
    public static final String LOGIN_WINDOW = "login.window-seconds";
    public static final String SHUTDOWN_GRACE = "shutdown.grace-seconds";
    public static final String PUBLIC_URL = "public-url";

    public static final List<String> KEYS = List.of(HOST, PORT, WORKER, JWT_SECRET, JWT_SECRET_FILE, JWT_ISSUER,
            JWT_AUDIENCE, JWT_ACCESS_TTL, JWT_REFRESH_TTL, BCRYPT_COST, LOGIN_MAX_PER_USER, LOGIN_MAX_PER_ADDRESS,
            LOGIN_WINDOW, SHUTDOWN_GRACE, PUBLIC_URL);

    public static final int DEFAULT_PORT = 8000;

    public ServerConfig {
        require(host != null && !host.isBlank(), HOST, "must be set");
        require(port >= 0 && port <= 65535, PORT, "must be 0..65535, was " + port);
        require(jwtSecret != null && jwtSecret.length >= JwtSecrets.MIN_BYTES, JWT_SECRET,
                "must be at least " + JwtSecrets.MIN_BYTES + " bytes");
        require(jwtIssuer != null && !jwtIssuer.isBlank(), JWT_ISSUER, "must be set");
        require(jwtAudience != null && !jwtAudience.isBlank(), JWT_AUDIENCE, "must be set");
        require(accessTtl.toSeconds() >= 10 && accessTtl.toHours() <= 24, JWT_ACCESS_TTL, "must be 10 s .. 24 h");
        require(refreshTtl.toSeconds() >= 60 && refreshTtl.toDays() <= 365, JWT_REFRESH_TTL, "must be 60 s .. 365 days");
        require(bcryptCost >= PasswordHasher.MIN_COST && bcryptCost <= 20, BCRYPT_COST,
                "must be " + PasswordHasher.MIN_COST + "..20, was " + bcryptCost);
        require(loginMaxPerUser >= 1, LOGIN_MAX_PER_USER, "must be >= 1");
        require(loginMaxPerAddress >= 1, LOGIN_MAX_PER_ADDRESS, "must be >= 1");
        require(loginWindow.toSeconds() >= 1, LOGIN_WINDOW, "must be >= 1 s");
        require(!shutdownGrace.isNegative(), SHUTDOWN_GRACE, "must be >= 0");
        require(publicUrl == null || validBaseUrl(publicUrl), PUBLIC_URL,
                "must be an http(s) URL with a host and no query, was '" + publicUrl + "'");
        if (publicUrl != null) {
            publicUrl = publicUrl.replaceAll("/+$", "");
        }
    }

    private static boolean validBaseUrl(String url) {
        try {
            java.net.URI u = new java.net.URI(url);
            return (u.getScheme() != null && (u.getScheme().equals("http") || u.getScheme().equals("https")))
                    && u.getHost() != null && u.getQuery() == null && u.getFragment() == null;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    /** Hides the secret. */
    @Override
    public String toString() {
        return "ServerConfig[" + host + ":" + port + ", worker=" + worker + ", issuer=" + jwtIssuer + ", audience="
                + jwtAudience + ", accessTtl=" + accessTtl + ", bcryptCost=" + bcryptCost + "]";
    }

    /**
     * Resolves every key from {@code explicit} (by key) > {@code env}; the JWT secret from {@code jwt.secret},
     * else the file {@code jwt.secret-file}, else {@code <vsaHome>/jwt-secret} (generated once, mode 0600).
     *
     * @throws IllegalArgumentException naming a bad key
     * @throws UncheckedIOException if the secret file cannot be read or created
     */
    public static ServerConfig load(Map<String, String> explicit, Map<String, String> env, Path vsaHome) {
        for (String k : explicit.keySet()) {
            require(KEYS.contains(k), k, "is not a known server setting (known: " + KEYS + ")");
        }
        Map<String, String> v = new LinkedHashMap<>();
        for (String k : KEYS) {
            String value = explicit.get(k) != null ? explicit.get(k) : env.get(envName(k));
            if (value != null && !value.isBlank()) {
                v.put(k, value.trim());
            }
        }
        byte[] secret;
        try {
            if (v.containsKey(JWT_SECRET)) {
                secret = JwtSecrets.fromConfigured(v.get(JWT_SECRET), JWT_SECRET);
            } else {
                Path file = v.containsKey(JWT_SECRET_FILE) ? Path.of(v.get(JWT_SECRET_FILE)) : vsaHome.resolve("jwt-secret");
                secret = JwtSecrets.fromFile(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(JWT_SECRET_FILE + ": " + e.getMessage(), e);
        }
        return new ServerConfig(
                v.getOrDefault(HOST, "127.0.0.1"),
                (int) number(v, PORT, DEFAULT_PORT),
                bool(v, WORKER, true),
                secret,
                v.getOrDefault(JWT_ISSUER, "vsa"),
                v.getOrDefault(JWT_AUDIENCE, "vsa-api"),
                Duration.ofSeconds(number(v, JWT_ACCESS_TTL, 15 * 60)),
                Duration.ofSeconds(number(v, JWT_REFRESH_TTL, 30L * 24 * 3600)),
                (int) number(v, BCRYPT_COST, 12),
                (int) number(v, LOGIN_MAX_PER_USER, 5),
                (int) number(v, LOGIN_MAX_PER_ADDRESS, 20),
                Duration.ofSeconds(number(v, LOGIN_WINDOW, 15 * 60)),
                Duration.ofSeconds(number(v, SHUTDOWN_GRACE, 20)),
                v.get(PUBLIC_URL));
    }

    /** {@code jwt.access-ttl-seconds} -> {@code VSA_JWT_ACCESS_TTL_SECONDS}. */
    public static String envName(String key) {
        return "VSA_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** A copy with another port (tests use 0). */
    public ServerConfig withPort(int newPort) {
        return new ServerConfig(host, newPort, worker, jwtSecret, jwtIssuer, jwtAudience, accessTtl, refreshTtl,
                bcryptCost, loginMaxPerUser, loginMaxPerAddress, loginWindow, shutdownGrace, publicUrl);
    }

    private static void require(boolean ok, String key, String message) {
        if (!ok) {
            throw new IllegalArgumentException(key + " (" + envName(key) + ") " + message);
        }
    }

    private static long number(Map<String, String> v, String key, long dflt) {
        String s = v.get(key);
        if (s == null) {
            return dflt;
        }
        try {
            return Long.parseLong(s.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " (" + envName(key) + ") must be a whole number, was '" + s + "'");
        }
    }

    private static boolean bool(Map<String, String> v, String key, boolean dflt) {
        String s = v.get(key);
        if (s == null) {
            return dflt;
        }
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> throw new IllegalArgumentException(key + " (" + envName(key) + ") must be true or false, was '" + s + "'");
        };
    }
}
