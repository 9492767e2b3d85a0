package dev.vsa.processing;

import dev.vsa.processing.internal.Database;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What an operator watches, in the Prometheus text format ({@link #scrape()}): JVM, the connection pool (HikariCP's
 * own Micrometer tracker, {@code hikaricp_connections_*}), jobs, and whatever the API adds to {@link #registry()}.
 *
 * <ul>
 *   <li>{@code vsa_jobs_queued{kind}} and {@code vsa_jobs_running{kind}}: the whole deployment's queue, read from the
 *       database at most once a second when scraped (so any one process answers for all: autoscale workers on it).</li>
 *   <li>{@code vsa_job_duration_seconds{kind,outcome}}: each run of a job in this process, by how it ended
 *       ({@code completed}, {@code failed}, {@code retry}, {@code cancelled}, {@code handed_back}, {@code lease_lost}).</li>
 * </ul>
 * Labels have few values (kinds, outcomes, route templates), never ids.
 */
public final class Metrics implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Metrics.class);
    /** The Content-Type of {@link #scrape()}. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final Duration[] JOB_BUCKETS = {Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
            Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofMinutes(10)};
    private static final long REFRESH_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final Map<String, AtomicLong> queued = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> runningJobs = new ConcurrentHashMap<>();
    private volatile Database db;
    private long refreshedAt;

    /** A registry with the JVM's meters bound. */
    public Metrics() {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** The registry: add meters to it (the API adds its HTTP timers). */
    public MeterRegistry registry() {
        return registry;
    }

    /** Everything registered, in the Prometheus text format, with the queue gauges refreshed first. */
    public String scrape() {
        refreshQueue();
        return registry.scrape();
    }

    /** Starts reporting the queue of {@code db} for these kinds (and any other kind found in it). */
    void watchJobs(Database db, Collection<String> kinds) {
        this.db = db;
        for (String k : kinds) {
            gauges(k);
        }
    }

    /** Records one run of a job in this process. */
    void jobRun(String kind, String outcome, long nanos) {
        Timer.builder("vsa.job.duration").description("Runs of jobs in this process, by kind and how they ended")
                .tags("kind", kind, "outcome", outcome).serviceLevelObjectives(JOB_BUCKETS)
                .register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    private void gauges(String kind) {
        queued.computeIfAbsent(kind, k -> {
            AtomicLong v = new AtomicLong();
            Gauge.builder("vsa.jobs.queued", v, AtomicLong::get).description("Jobs waiting for a worker (whole deployment)")
                    .tag("kind", k).register(registry);
            return v;
        });
        runningJobs.computeIfAbsent(kind, k -> {
            AtomicLong v = new AtomicLong();
            Gauge.builder("vsa.jobs.running", v, AtomicLong::get).description("Jobs being run by a worker (whole deployment)")
                    .tag("kind", k).register(registry);
            return v;
        });
    }

    private synchronized void refreshQueue() {
        Database d = db;
        if (d == null || (refreshedAt != 0 && System.nanoTime() - refreshedAt < REFRESH_NANOS)) {
            return;
        }
        refreshedAt = System.nanoTime();
        Map<String, long[]> counts = new HashMap<>();
        try (Connection c = d.connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT kind, count(*) FILTER (WHERE state = 'queued'), "
                     + "count(*) FILTER (WHERE state = 'running') FROM jobs WHERE state IN ('queued', 'running') "
                     + "GROUP BY kind")) {
            while (rs.next()) {
                counts.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3)});
            }
        } catch (SQLException | RuntimeException e) {
            LOG.debug("queue gauges not refreshed: {}", e.getMessage()); // the last values stay
            return;
        }
        counts.keySet().forEach(this::gauges);
        queued.forEach((k, v) -> v.set(counts.getOrDefault(k, new long[2])[0]));
        runningJobs.forEach((k, v) -> v.set(counts.getOrDefault(k, new long[2])[1]));
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
