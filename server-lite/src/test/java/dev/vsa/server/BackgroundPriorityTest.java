package dev.vsa.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Request handling wins the CPU from background work in the same process: the password-hashing and job worker
 * threads run at nice 10 (the default of cpu.background-nice), the hashing threads also under SCHED_IDLE
 * (cpu.background-idle, on by default), request threads (the virtual threads' carriers) at 0 and under the normal
 * policy, also after hashes woke them; the workers keep the normal policy (threads they start or wake inherit it).
 */
class BackgroundPriorityTest {
    static OwnServer own;

    @BeforeAll
    static void start() throws Exception {
        own = new OwnServer(Map.of(dev.vsa.processing.Limits.BACKGROUND_NICE, "10"), s -> s);
    }

    @AfterAll
    static void stop() {
        own.close();
    }

    /** name (as the kernel keeps it: 15 characters), nice value and policy (0 normal, 5 idle) of each thread. */
    private static List<String[]> threads() throws IOException {
        List<String[]> out = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : tasks.toList()) {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    out.add(new String[]{name, f[16], f[38]});
                } catch (IOException gone) {
                    // the thread ended meanwhile
                }
            }
        }
        return out;
    }

    @Test
    void hashingAndWorkerThreadsNiced_requestCarriersNot() throws Exception {
        assumeTrue(Files.exists(Path.of("/proc/thread-self")), "per-thread nice values are Linux's");
        for (int i = 0; i < 3; i++) {
            own.account(); // a signup and a login: hashes, each waking its request thread
        }
        // Relative to the nice value this JVM was started with (CI or a user may run the suite under nice).
        int base = dev.vsa.processing.CpuPriority.currentNice();
        int background = Math.max(base, 10);
        // Workers lower themselves at their next loop once the API is up (a poll interval at most).
        dev.vsa.processing.ProcessingTestSupport.await("the workers lowered", () -> {
            try {
                return threads().stream().anyMatch(t -> t[0].startsWith("vsa-worker-")
                        && t[1].equals(Integer.toString(background)));
            } catch (IOException e) {
                return false;
            }
        });
        List<String[]> all = threads();
        List<String> seen = new ArrayList<>();
        for (String[] t : all) {
            String name = t[0];
            int nice = Integer.parseInt(t[1]);
            String policy = t[2];
            if (name.startsWith("vsa-bcrypt-rela")) {
                assertEquals(base, nice, "the relay that wakes request threads: " + name);
                assertEquals("0", policy, "the relay's policy");
                seen.add("relay");
            } else if (name.startsWith("vsa-bcrypt-") && nice == background) {
                // this server's (other stacks in the same test JVM keep theirs at the base)
                assertEquals("5", policy, "a hashing thread's policy (SCHED_IDLE)");
                seen.add("bcrypt");
            } else if (name.startsWith("vsa-worker-") && nice == background) {
                // this server's (the shared test stack's stay at the base: TestStack sets 0)
                assertEquals("0", policy, "a worker thread's policy (nice only)");
                seen.add("worker");
            } else if (name.startsWith("ForkJoinPool-")) {
                assertEquals(base, nice, "a carrier of request threads: " + name);
                assertEquals("0", policy, "a carrier's policy: " + name);
                seen.add("carrier");
            }
        }
        for (String kind : List.of("relay", "bcrypt", "worker", "carrier")) {
            assertFalse(!seen.contains(kind), "no " + kind + " thread among " + all.stream().map(t -> t[0]).toList());
        }
    }

    @Test
    void metrics_showTheHashingPool() throws Exception {
        String m = own.get("/metrics", null).body();
        for (String name : List.of("vsa_auth_hash_active ", "vsa_auth_hash_queued ", "vsa_auth_hash_rejected_total ")) {
            assertFalse(!m.contains("\n" + name), name + "missing from /metrics");
        }
    }
}
