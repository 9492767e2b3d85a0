package dev.vsa.processing;

import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** How many of something each owner has in flight, up to a limit; owners with none are forgotten. */
final class OwnerCounts {
    private final int max;
    private final ConcurrentHashMap<UUID, Integer> counts = new ConcurrentHashMap<>();

    OwnerCounts(int max) {
        this.max = max;
    }

    /** Takes one for {@code owner} if it has fewer than the limit. */
    boolean tryTake(UUID owner) {
        boolean[] taken = {false};
        counts.compute(owner, (k, n) -> {
            int now = n == null ? 0 : n;
            if (now >= max) {
                return n;
            }
            taken[0] = true;
            return now + 1;
        });
        return taken[0];
    }

    /** Gives one back. */
    void give(UUID owner) {
        counts.computeIfPresent(owner, (k, n) -> n <= 1 ? null : n - 1);
    }

    /** Owners with something in flight. */
    int owners() {
        return counts.size();
    }
}
