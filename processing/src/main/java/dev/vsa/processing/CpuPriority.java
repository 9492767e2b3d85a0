package dev.vsa.processing;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Lowers the OS scheduling priority of background threads (password hashing, job workers) so that request
 * handling in the same process wins the CPU when both want it: with nice 10 a busy background thread gets about a
 * tenth of a core's share next to a request thread at nice 0 (the kernel's weights 110 and 1024), and all of it
 * when nothing else runs. Java thread priorities do nothing on Linux by default, so this sets the thread's nice
 * value itself: Linux keeps one per thread ({@code setpriority} on a thread id), and any process may raise its own.
 * <p>
 * Best effort: only on Linux with {@code renice} (util-linux, in every Debian-based image), once per thread, from
 * the thread itself; elsewhere nothing changes and one line at INFO says so. Threads a lowered thread starts
 * inherit its nice value (the kernel copies it), which is what the worker's helper threads want.
 */
public final class CpuPriority {
    private static final Logger LOG = LoggerFactory.getLogger(CpuPriority.class);
    /** The nice value background threads take unless configured ({@code cpu.background-nice}). */
    public static final int DEFAULT_NICE = 10;
    private static final Path THREAD_SELF = Path.of("/proc/thread-self");
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private CpuPriority() {
    }

    /**
     * Sets the calling platform thread's nice value to {@code nice} (0, or a thread already at {@code nice} or lower
     * priority, stays as it is: this never raises a priority).
     *
     * @return whether the thread now runs at that nice value or a lower priority
     * @throws IllegalArgumentException if {@code nice} is not 0..19
     */
    public static boolean lowerCurrentThread(int nice) {
        if (nice < 0 || nice > 19) {
            throw new IllegalArgumentException("nice must be 0..19, was " + nice);
        }
        if (nice == 0 || Thread.currentThread().isVirtual()) {
            return false;
        }
        String tid = threadId();
        if (tid == null) {
            skipped("no /proc/thread-self (not Linux)");
            return false;
        }
        Integer now = currentNice();
        if (now != null && now >= nice) {
            return true; // already as low (the whole process runs under nice): never raise it
        }
        try {
            Process p = new ProcessBuilder("renice", "-n", Integer.toString(nice), "-p", tid)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                skipped("renice did not finish");
                return false;
            }
            if (p.exitValue() != 0) {
                skipped("renice exited with " + p.exitValue());
                return false;
            }
            return true;
        } catch (IOException e) {
            skipped("renice could not run (" + e.getMessage() + ")");
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The calling thread's nice value as the kernel reports it, or null where that cannot be read. */
    public static Integer currentNice() {
        String tid = threadId();
        if (tid == null) {
            return null;
        }
        try {
            // /proc/<pid>/task/<tid>/stat: "pid (comm) state ..." where comm may hold spaces; nice is field 19.
            String stat = Files.readString(THREAD_SELF.resolve("stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Integer.parseInt(f[16]);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String threadId() {
        try {
            return THREAD_SELF.toRealPath().getFileName().toString(); // /proc/<pid>/task/<tid>
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static void skipped(String why) {
        if (WARNED.compareAndSet(false, true)) {
            LOG.info("background threads keep their normal CPU priority: {}", why);
        }
    }
}
