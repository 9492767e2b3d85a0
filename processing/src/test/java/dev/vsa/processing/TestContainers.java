package dev.vsa.processing;

import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.AbstractWaitStrategy;
import org.testcontainers.utility.DockerImageName;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * A PostgreSQL and an S3 server in containers (Testcontainers), for running the integration tests against what a
 * deployment uses, when a Docker engine is reachable; {@link #assumeEngine()} skips the caller with the reason when
 * none is. The images are the public ones unless the system properties {@code vsa.test.postgres.image} and
 * {@code vsa.test.s3.image} name others (deploy/base/build.sh makes local ones: {@code vsa-local/postgres:17},
 * {@code vsa-local/s3proxy:2.6.0}); an image not already on the engine skips the tests too (the suite pulls
 * nothing). Containers use the host network and listen on free loopback ports, so no
 * traffic leaves the machine; they run once per test JVM and stop with it.
 */
public final class TestContainers {
    public static final String ACCESS_KEY = "vsa-tc-access";
    public static final String SECRET_KEY = "vsa-tc-secret-0123456789";
    private static final String PASSWORD = "vsa-tc-password";
    private static String skip;
    private static String postgresUrl;
    private static URI s3;

    private TestContainers() {
    }

    /** Skips the calling test (class) with the reason unless the engine answers and both containers started. */
    public static synchronized void assumeEngine() {
        if (skip == null && postgresUrl == null) {
            long t0 = System.nanoTime();
            start();
            System.err.printf("TestContainers: %s (%.1f s)%n", skip == null ? "PostgreSQL and S3 containers up"
                    : "skipping container tests: " + skip, (System.nanoTime() - t0) / 1e9);
        }
        Assumptions.assumeTrue(skip == null, () -> "skipped: " + skip);
    }

    /** Admin JDBC URL of the PostgreSQL container (user postgres). */
    public static String postgresUrl() {
        assumeEngine();
        return postgresUrl;
    }

    /** Endpoint of the S3 container. */
    public static URI s3Endpoint() {
        assumeEngine();
        return s3;
    }

    private static void start() {
        String pgImage = System.getProperty("vsa.test.postgres.image", "postgres:17");
        String s3Image = System.getProperty("vsa.test.s3.image", "minio/minio:latest");
        String checkImage = System.getProperty("vsa.test.check.image", "alpine:3.17");
        // Asked of the engine's socket directly, before Testcontainers (which would pull what is missing and,
        // with no registry in reach, retry for minutes): no engine or a missing image skips at once.
        for (String image : new String[] {pgImage, s3Image, checkImage}) {
            String why = imageMissing(image);
            if (why != null) {
                skip = why;
                return;
            }
        }
        try {
            if (!DockerClientFactory.instance().isDockerAvailable()) {
                skip = "no Docker engine reachable (start dockerd, or set DOCKER_HOST)";
                return;
            }
        } catch (RuntimeException | LinkageError e) {
            skip = "no Docker engine usable: " + e;
            return;
        }
        try {
            int pgPort = freePort();
            GenericContainer<?> pg = new GenericContainer<>(DockerImageName.parse(pgImage))
                    .withNetworkMode("host")
                    .withEnv("POSTGRES_PASSWORD", PASSWORD)
                    .withEnv("PGPORT", Integer.toString(pgPort))
                    .waitingFor(listening(pgPort));
            int s3Port = freePort();
            GenericContainer<?> s3c = new GenericContainer<>(DockerImageName.parse(s3Image))
                    .withNetworkMode("host")
                    .withEnv("MINIO_ROOT_USER", ACCESS_KEY)
                    .withEnv("MINIO_ROOT_PASSWORD", SECRET_KEY)
                    .withEnv("S3_PORT", Integer.toString(s3Port))
                    .waitingFor(listening(s3Port));
            if (s3Image.contains("minio")) {
                s3c.withCommand("server", "/data", "--address", "127.0.0.1:" + s3Port);
            }
            pg.start();
            s3c.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                pg.stop();
                s3c.stop();
            }));
            String url = "jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres?user=postgres&password=" + PASSWORD;
            awaitDatabase(url);
            postgresUrl = url;
            s3 = URI.create("http://127.0.0.1:" + s3Port);
        } catch (RuntimeException e) {
            skip = "containers " + pgImage + " / " + s3Image + " did not start: " + e.getMessage();
        }
    }

    /** Null when the engine on /var/run/docker.sock has {@code image}, else why not. */
    private static String imageMissing(String image) {
        java.nio.file.Path sock = java.nio.file.Path.of(System.getenv().getOrDefault("DOCKER_HOST", "unix:///var/run/docker.sock")
                .replaceFirst("^unix://", ""));
        try (java.nio.channels.SocketChannel ch = java.nio.channels.SocketChannel.open(java.net.UnixDomainSocketAddress.of(sock))) {
            ch.write(java.nio.ByteBuffer.wrap(("GET /images/" + image + "/json HTTP/1.0\r\nHost: docker\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
            java.nio.ByteBuffer status = java.nio.ByteBuffer.allocate(12);
            while (status.hasRemaining() && ch.read(status) >= 0) {
                // the status line's first 12 bytes: "HTTP/1.1 200"
            }
            String line = new String(status.array(), 0, status.position(), java.nio.charset.StandardCharsets.US_ASCII);
            return line.endsWith("200") ? null : "image " + image + " is not on the engine (the suite pulls nothing: "
                    + "docker pull it, or use local ones, e.g. -Dvsa.test.postgres.image=vsa-local/postgres:17 "
                    + "-Dvsa.test.s3.image=vsa-local/s3proxy:2.6.0 -Dvsa.test.check.image=vsa-local/debian:trixie)";
        } catch (IOException | RuntimeException e) {
            return "no Docker engine reachable at " + sock + " (" + e.getMessage() + ")";
        }
    }

    /** Ready when something accepts connections on the loopback port (host network: no mapped ports). */
    private static AbstractWaitStrategy listening(int port) {
        return new AbstractWaitStrategy() {
            @Override
            protected void waitUntilReady() {
                long deadline = System.nanoTime() + startupTimeout.toNanos();
                while (System.nanoTime() < deadline) {
                    try (Socket s = new Socket()) {
                        s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                        return;
                    } catch (IOException notYet) {
                        sleep(200);
                    }
                }
                throw new IllegalStateException("nothing listens on 127.0.0.1:" + port + " after " + startupTimeout);
            }
        };
    }

    private static void awaitDatabase(String url) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (true) {
            try (Connection c = DriverManager.getConnection(url)) {
                return;
            } catch (SQLException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("PostgreSQL container not accepting logins: " + e.getMessage(), e);
                }
                sleep(250);
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
