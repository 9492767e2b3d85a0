package dev.vsa.processing;

import dev.vsa.processing.internal.Database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Owner transactions ({@link #inTransaction}): the one way to lock an owner's {@code users} row, which is what
 * serialises one owner's limit checks across API processes (recording an upload, opening a resumable or direct one,
 * adding a token or a webhook: counts and quota checked under it) and deleting the account. Inside this process the
 * owner's turn is waited for first, before a pooled connection is taken: otherwise the waiters for a busy row held
 * most of the pool and every other request (an authenticated read needs two connections) queued behind them
 * (bench/auth-load.sh: 150 requests pending on a pool of 10, 170 ms a connection). Fair, so turns go in order.
 */
final class OwnerTurns {
    /** The owner of an owner transaction has no {@code users} row (it was deleted, or never was). */
    static final class NoSuchOwner extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        NoSuchOwner(UUID owner) {
            super("no user " + owner);
        }
    }

    private static final class Turn {
        final ReentrantLock lock = new ReentrantLock(true);
        int users; // guarded by the map's compute: threads holding or waiting for this turn
    }

    /** A taken turn; closing it gives it to the next waiter. */
    interface Held extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Locks the owner's row against other owner transactions (and against its deletion), but not against rows that
     * merely reference it: FOR NO KEY UPDATE, not FOR UPDATE, so a login's refresh-token insert (its foreign-key
     * check takes KEY SHARE on the row) does not wait out a long upload of the same owner while holding a pooled
     * connection (bench/auth-load.sh: 57 logins waited 21 s in all in 30 s). Deleting the row still waits for them.
     */
    static final String LOCK_ROW = "SELECT 1 FROM users WHERE id = ? FOR NO KEY UPDATE";

    private final Database db;
    private final ConcurrentHashMap<UUID, Turn> turns = new ConcurrentHashMap<>();
    /** The connections of owner transactions in progress, and whose row each has locked. */
    private final ConcurrentHashMap<Connection, UUID> inProgress = new ConcurrentHashMap<>();

    OwnerTurns(Database db) {
        this.db = db;
    }

    /**
     * Runs {@code work} in one transaction with {@code owner}'s row locked, having waited for the owner's turn
     * without a connection; then {@code afterCommit} (null: nothing) as {@link Database#inTransaction}.
     *
     * @throws NoSuchOwner         if there is no such user (nothing was run)
     * @throws ProcessingException if the thread is interrupted while waiting for its turn
     * @throws SQLException        as {@link Database#inTransaction(Database.TxFunction)}
     */
    @SuppressWarnings("try") // the owner's turn is held for the block, never referenced in it
    <T> T inTransaction(UUID owner, Database.TxFunction<T> work, Database.AfterCommit<? super T> afterCommit)
            throws SQLException {
        try (Held turn = take(owner)) {
            return db.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement(LOCK_ROW)) {
                    ps.setObject(1, owner);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            throw new NoSuchOwner(owner);
                        }
                    }
                }
                inProgress.put(c, owner);
                try {
                    return work.apply(c);
                } finally {
                    inProgress.remove(c);
                }
            }, afterCommit);
        }
    }

    /** Whether {@code tx} is in an owner transaction of {@code owner} (its row locked). */
    boolean holds(Connection tx, UUID owner) {
        return owner.equals(inProgress.get(tx));
    }

    /**
     * In {@code tx} of an owner transaction of {@code owner}: counts the owner's rows in {@code table} and throws when
     * there are {@code max} already (adds of one owner take turns, so the count holds until {@code tx} ends).
     *
     * @param table a table of vsa's own with an {@code owner_id} column (never user input)
     * @throws InvalidRequestException naming {@code field} when the owner is at {@code max}
     * @throws IllegalStateException   if {@code tx} is not an owner transaction of {@code owner}
     */
    void requireBelow(Connection tx, UUID owner, String table, int max, String field, String what) throws SQLException {
        if (!holds(tx, owner)) {
            throw new IllegalStateException("a limit is checked in an owner transaction of its owner");
        }
        try (PreparedStatement ps = tx.prepareStatement("SELECT count(*) FROM " + table + " WHERE owner_id = ?")) {
            ps.setObject(1, owner);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getInt(1) >= max) {
                    throw new InvalidRequestException(field, "you have " + max + " " + what + " already, the most allowed");
                }
            }
        }
    }

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
