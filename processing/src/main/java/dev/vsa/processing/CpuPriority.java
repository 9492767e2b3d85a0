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
 * Nice alone still lets a background thread hold a core while a request thread waits for it: a request thread runs
 * in short bursts between waits, and each time it wakes it may wait for the background thread's slice to end
 * (bench/auth-load.sh on 2 cores: the request carriers spent longer waiting in the run queue than running, while
 * the nice-10 hashing thread used a third of a core). {@link #lowerCurrentThread(int, boolean) With idle}, the
 * thread also takes Linux's {@code SCHED_IDLE} policy: the kernel then preempts it as soon as any normal thread
 * wakes on its core, and it runs only on CPU time nothing else wants. Under load that never lets up, such a thread
 * may wait long (its callers are bounded elsewhere: the hashing queue answers 429 when full).
 * <p>
 * Best effort: only on Linux with {@code renice} and {@code chrt} (util-linux, in every Debian-based image), once
 * per thread, from the thread itself; elsewhere nothing changes and one line at INFO says so. Threads a lowered
 * thread starts inherit its nice value and its policy (the kernel copies both; reset-on-fork resets only real-time
 * policies), which is what the worker's helper threads want. A thread that may start a carrier of virtual threads
 * (by waking one: a pooled connection it hands back, a future it completes) must therefore never be made idle: only
 * the password-hashing threads are, which hand every result to a relay thread of normal priority.
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
        return lowerCurrentThread(nice, false);
    }

    /**
     * As {@link #lowerCurrentThread(int)}, and with {@code idle} (and {@code nice} above 0) the thread also takes the
     * {@code SCHED_IDLE} policy: only for a thread that starts no thread and wakes no virtual thread (see above).
     *
     * @return whether the thread now runs at that nice value or a lower priority (and, with {@code idle}, under
     *         {@code SCHED_IDLE})
     */
    public static boolean lowerCurrentThread(int nice, boolean idle) {
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
        // Never raise a priority: a thread already as low (the whole process runs under nice) keeps its value.
        boolean lowered = (now != null && now >= nice) || run("renice", "-n", Integer.toString(nice), "-p", tid);
        if (!lowered || !idle || currentlyIdle()) {
            return lowered;
        }
        return run("chrt", "--idle", "-p", "0", tid);
    }

    /** Runs a util-linux command on this thread; false (and one INFO line per process) if it failed. */
    private static boolean run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                skipped(command[0] + " did not finish");
                return false;
            }
            if (p.exitValue() != 0) {
                skipped(command[0] + " exited with " + p.exitValue());
                return false;
            }
            return true;
        } catch (IOException e) {
            skipped(command[0] + " could not run (" + e.getMessage() + ")");
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Whether the calling thread runs under {@code SCHED_IDLE} (false where that cannot be read). */
    public static boolean currentlyIdle() {
        if (threadId() == null) {
            return false;
        }
        try {
            // /proc/<pid>/task/<tid>/stat field 41 is the scheduling policy; 5 is SCHED_IDLE.
            String stat = Files.readString(THREAD_SELF.resolve("stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return f[38].equals("5");
        } catch (IOException | RuntimeException e) {
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
