package dev.vsa.processing;

import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One turn at a time per owner inside this process, waited for before a pooled connection is taken; taken only by
 * {@link SceneService#inOwnerTransaction}. Work that locks the owner's {@code users} row (recording an upload, opening
 * a resumable or direct one: limits and quota checked) would otherwise wait for that row lock while holding a connection: under a burst of one owner's uploads, the waiters
 * held most of the pool and every other request (an authenticated read needs two connections) queued behind them
 * (bench/auth-load.sh: 150 requests pending on a pool of 10, 170 ms a connection). The row lock stays: it is what
 * serialises several API processes; this only makes the waiting cost no connection. Fair, so turns go in order.
 */
final class OwnerTurns {
    private static final class Turn {
        final ReentrantLock lock = new ReentrantLock(true);
        int users; // guarded by the map's compute: threads holding or waiting for this turn
    }

    /** A taken turn; closing it gives it to the next waiter. */
    interface Held extends AutoCloseable {
        @Override
        void close();
    }

    private final ConcurrentHashMap<UUID, Turn> turns = new ConcurrentHashMap<>();

    /**
     * Waits for {@code owner}'s turn.
     *
     * @throws ProcessingException if the thread is interrupted while waiting (the server is stopping)
     */
    Held take(UUID owner) {
        Turn t = turns.compute(owner, (k, v) -> {
            Turn turn = v == null ? new Turn() : v;
            turn.users++;
            return turn;
        });
        try {
            t.lock.lockInterruptibly();
        } catch (InterruptedException e) {
            leave(owner);
            Thread.currentThread().interrupt();
            throw new ProcessingException("interrupted while waiting for the owner's turn", e);
        }
        return () -> {
            t.lock.unlock();
            leave(owner);
        };
    }

    /** Owners with a turn held or waited for (the map forgets the others). */
    int owners() {
        return turns.size();
    }

    private void leave(UUID owner) {
        turns.computeIfPresent(owner, (k, v) -> --v.users == 0 ? null : v);
    }
}
