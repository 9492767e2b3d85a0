package dev.vsa.processing;

import java.nio.file.Path;
import java.util.Map;

/**
 * A worker in its own JVM, for the crash test: {@code ChildWorker <jdbcUrl> <home>}. Runs one worker whose
 * {@link OutputHandler} hangs mid-job, until the test kills the process with SIGKILL.
 */
public final class ChildWorker {
    private ChildWorker() {
    }

    public static void main(String[] args) throws Exception {
        Processing p = Processing.start(ProcessingTestSupport.config(Path.of(args[1]), args[0],
                Map.of(ProcessingConfig.JOBS_LEASE, "2")));
        p.registerHandler(OutputHandler.KIND, new OutputHandler(true));
        p.startWorkers(1);
        // An upload in flight when the process dies: a part spooled to disk.
        UploadSpool spool = p.scenes().openSpool(java.util.UUID.randomUUID());
        java.nio.file.Files.write(spool.dir().resolve("MultiPart-in-flight.tmp"), new byte[1024]);
        System.out.println("ready");
        System.out.flush();
        Thread.currentThread().join();
    }
}
