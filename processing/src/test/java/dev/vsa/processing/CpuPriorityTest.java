package dev.vsa.processing;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class CpuPriorityTest {
    @Test
    void lowerCurrentThread_setsThatThreadsNiceOnly_andThreadsItStartsInheritIt() throws Exception {
        assumeTrue(Files.exists(Path.of("/proc/thread-self")), "per-thread nice values are Linux's");
        Integer before = CpuPriority.currentNice();
        int want = Math.min(19, Math.max(7, before + 1)); // the suite may run under nice
        AtomicReference<Object[]> seen = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> {
            boolean done = CpuPriority.lowerCurrentThread(want);
            Integer self = CpuPriority.currentNice();
            AtomicReference<Integer> child = new AtomicReference<>();
            Thread c = Thread.ofPlatform().start(() -> child.set(CpuPriority.currentNice()));
            try {
                c.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            seen.set(new Object[]{done, self, child.get()});
        });
        t.join();
        assertEquals(true, seen.get()[0]);
        assertEquals(want, seen.get()[1]);
        assertEquals(want, seen.get()[2], "a thread started by a lowered one runs at its nice value");
        assertEquals(before, CpuPriority.currentNice(), "the calling thread is untouched");
    }

    @Test
    void lowerCurrentThread_zeroOrVirtual_changesNothing() throws Exception {
        assertFalse(CpuPriority.lowerCurrentThread(0));
        AtomicReference<Boolean> virtual = new AtomicReference<>();
        Thread.ofVirtual().start(() -> virtual.set(CpuPriority.lowerCurrentThread(5))).join();
        assertFalse(virtual.get(), "a virtual thread's carrier serves others: never lowered");
    }

    @Test
    void lowerCurrentThread_outOfRange() {
        assertThrows(IllegalArgumentException.class, () -> CpuPriority.lowerCurrentThread(-1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CpuPriority.lowerCurrentThread(20));
        assertTrue(e.getMessage().contains("20"), e.getMessage());
    }
}
