package dev.vsa.processing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Queue benchmark (not part of the test suite; run {@code bench/queue-bench.sh}): throughput of trivial
 * jobs with 1, 2 and 4 workers, and pick-up latency from the enqueueing commit to the handler's start.
 * Uses VSA_TEST_DATABASE_URL's server if set, else an embedded PostgreSQL.
 *
 * <p>Args: {@code [jobs per throughput run (default 2000)] [latency samples (default 300)]}.
 */
public final class QueueBench {
    private QueueBench() {
    }

    /** Completes at once; counts down a latch. */
    private static final class Noop implements JobHandler {
        volatile CountDownLatch done;
        final Map<UUID, Long> started = new ConcurrentHashMap<>();

        @Override
        public void run(JobContext ctx) throws Exception {
            started.put(ctx.job().id(), System.nanoTime());
            ctx.complete(tx -> { });
            done.countDown();
        }
    }

    public static void main(String[] args) throws Exception {
        int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int samples = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        Path home = Files.createTempDirectory("vsa-bench-");
        System.out.printf("vsa queue benchmark: %d trivial jobs per run, %d latency samples, %d CPUs%n",
                jobs, samples, Runtime.getRuntime().availableProcessors());
        for (int workers : new int[]{1, 2, 4}) {
            String url = TestDatabases.fresh();
            Noop h = new Noop();
            try (Processing p = Processing.start(ProcessingTestSupport.config(home, url, Map.of(ProcessingConfig.JOBS_POLL, "1000")))) {
                p.registerHandler("noop", h);
                h.done = new CountDownLatch(jobs);
                for (int i = 0; i < jobs; i++) {
                    p.jobs().enqueue("noop", null, null);
                }
                long t0 = System.nanoTime();
                WorkerPool pool = p.startWorkers(workers);
                if (!h.done.await(10, TimeUnit.MINUTES)) {
                    throw new IllegalStateException("jobs did not finish");
                }
                double secs = (System.nanoTime() - t0) / 1e9;
                System.out.printf("throughput  %d worker(s): %6.0f jobs/s  (%d jobs in %.2f s)%n", workers, jobs / secs, jobs, secs);
                if (workers == 2) {
                    latency(p, h, samples);
                }
                pool.shutdown(Duration.ofSeconds(5));
            }
        }
        System.exit(0);
    }

    /** Idle workers; one job at a time: enqueue (commit) -> handler start. */
    private static void latency(Processing p, Noop h, int samples) throws Exception {
        long[] micros = new long[samples];
        for (int i = 0; i < samples + 20; i++) {
            h.done = new CountDownLatch(1);
            Thread.sleep(5); // let the workers go idle, waiting on LISTEN, as in production between uploads
            long t0 = System.nanoTime();
            UUID id = p.jobs().enqueue("noop", null, null); // returns after COMMIT
            if (!h.done.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("job not picked up");
            }
            if (i >= 20) { // warm-up excluded
                micros[i - 20] = (h.started.get(id) - t0) / 1000;
            }
        }
        Arrays.sort(micros);
        System.out.printf("pickup latency (commit -> handler start, 2 idle workers): p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                micros[samples / 2] / 1000.0, micros[(int) (samples * 0.99)] / 1000.0, micros[samples - 1] / 1000.0);
    }
}
