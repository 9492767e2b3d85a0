package dev.vsa.processing.resumable;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vsa.processing.Digests;
import dev.vsa.processing.ProcessingException;
import dev.vsa.processing.ProcessingOptions;
import dev.vsa.processing.Scene;
import dev.vsa.processing.SceneService;
import dev.vsa.processing.UploadPart;
import dev.vsa.processing.UploadRejectedException;
import dev.vsa.processing.UploadSpool;
import dev.vsa.processing.internal.Database;
import dev.vsa.processing.internal.Json;
import dev.vsa.processing.internal.Rows;
import dev.vsa.processing.storage.ObjectStore;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Resumable uploads of an owner: create one with its declared length, append pieces at its offset, ask how far it
 * is, delete it. The state is a row of {@code tus_uploads}; each piece's bytes go through an {@link UploadSpool}
 * (the same concurrency limit, stall timing and write-behind as a one-request upload) into one object of the store
 * ({@code tus/{id}/...}), recorded in {@code tus_chunks} in the transaction that moves the offset. A piece cut short
 * (the client went away) is kept up to its last byte received, so the client goes on from there.
 *
 * <p>When the last byte is in, the pieces are concatenated into one file while its SHA-256 is computed (one
 * streaming pass) and that file goes to {@link SceneService#upload(UUID, List, String)}, the path of
 * {@code POST /upload/}, with the upload's {@code Idempotency-Key} (or one derived from the upload's id): finishing
 * twice, after a crash between the scene and the upload's row, finds the first scene. Nothing becomes a scene
 * before every declared byte is in. Every call is scoped to the owner: another owner's upload is absent.
 *
 * <p>Unfinished uploads expire {@code ttl} ({@code upload.resumable.expiry-seconds}) after their last piece and are swept, with their objects, every
 * {@link #SWEEP_EVERY} by any process (rows are claimed with {@code SKIP LOCKED}).
 */
public final class ResumableUploads implements AutoCloseable {
    /** Pieces one upload may have: beyond, each piece would cost more in rows and objects than its bytes. */
    public static final int MAX_CHUNKS = 10_000;
    /** The {@code Upload-Checksum} algorithms accepted for a piece (tus names). */
    public static final List<String> CHECKSUM_ALGORITHMS = List.of("sha1", "sha256", "md5");
    /** How often this process sweeps expired uploads. */
    static final Duration SWEEP_EVERY = Duration.ofMinutes(10);
    private static final int BUFFER = 256 * 1024;
    private static final String COLUMNS = "id, owner_id, length_bytes, offset_bytes, filename, metadata, "
            + "idempotency_key, sha256, scene_id, job_id, created_at, expires_at";

    private final Database db;
    private final ObjectStore store;
    private final SceneService scenes;
    private final long maxUploadBytes;
    private final Duration ttl;
    private final int maxOpenPerOwner;
    private final Clock clock;
    /** Uploads a request of this process is appending to: a second one at once gets {@code LOCKED}. */
    private final Set<UUID> appending = ConcurrentHashMap.newKeySet();
    private final SecureRandom random = new SecureRandom();
    private ScheduledExecutorService sweeper;

    /**
     * @param maxUploadBytes  the largest upload accepted (the declared length is checked against it)
     * @param ttl             how long an upload lives after its last piece ({@code upload.resumable.expiry-seconds});
     *                        finished ones keep their scene id as long
     * @param maxOpenPerOwner unfinished uploads one owner may have at once ({@code upload.resumable.max-open}): each
     *                        may hold up to the upload limit of disk or bucket
     */
    public ResumableUploads(Database db, ObjectStore store, SceneService scenes, long maxUploadBytes, Duration ttl,
            int maxOpenPerOwner, Clock clock) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive, was " + ttl);
        }
        if (maxOpenPerOwner < 1) {
            throw new IllegalArgumentException("maxOpenPerOwner must be positive, was " + maxOpenPerOwner);
        }
        this.db = db;
        this.store = store;
        this.scenes = scenes;
        this.maxUploadBytes = maxUploadBytes;
        this.ttl = ttl;
        this.maxOpenPerOwner = maxOpenPerOwner;
        this.clock = clock;
    }

    /** Starts sweeping expired uploads in the background, now and every {@link #SWEEP_EVERY}. */
    public synchronized void startSweeper() {
        if (sweeper == null) {
            sweeper = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon()
                    .name("vsa-tus-sweeper").unstarted(r));
            sweeper.scheduleWithFixedDelay(() -> {
                try {
                    sweepExpired(clock.instant());
                } catch (RuntimeException e) {
                    // the database or the store is away: the next round tries again
                }
            }, 0, SWEEP_EVERY.toSeconds(), TimeUnit.SECONDS);
        }
    }

    /** The largest declared length accepted. */
    public long maxUploadBytes() {
        return maxUploadBytes;
    }

    /**
     * Creates an upload of {@code length} bytes, or returns the owner's unfinished upload made with the same
     * {@code idempotencyKey} (a retried creation). Refused before any byte when the length is over the upload
     * limit, or does not fit the owner's quota.
     *
     * @param metadata the client's {@code Upload-Metadata} header (kept to answer HEAD), or empty
     * @throws IllegalArgumentException   if the length is not positive or the metadata malformed
     * @throws UploadRejectedException    {@code TOO_LARGE}, {@code QUOTA} or {@code SCENE_LIMIT}
     * @throws ResumableUploadException   {@code TOO_MANY_OPEN}, or {@code KEY_REUSED} for a key of an upload of
     *                                    another length
     */
    public ResumableUpload create(UUID ownerId, long length, String metadata, String idempotencyKey) {
        if (length <= 0) {
            throw new IllegalArgumentException("Upload-Length must be a positive number of bytes, was " + length);
        }
        Map<String, String> meta = parseMetadata(metadata);
        if (length > maxUploadBytes) {
            throw new UploadRejectedException(UploadRejectedException.Reason.TOO_LARGE, null, "the upload declares "
                    + length + " bytes, over this server's limit of " + maxUploadBytes + " bytes (upload.max-bytes)");
        }
        options(meta); // bad processing options: refused now, not after the last byte
        String given = meta.getOrDefault("filename", meta.getOrDefault("name", "upload"));
        String filename = given.isBlank() ? "upload" : given;
        Instant now = clock.instant();
        try {
            try {
                // The owner's turn (quota checked under the owner's row lock) waited for without a connection.
                return scenes.inOwnerTransaction(ownerId, c -> {
                    if (idempotencyKey != null) {
                        Optional<ResumableUpload> earlier = byKey(c, ownerId, idempotencyKey);
                        if (earlier.isPresent()) {
                            return sameLength(earlier.get(), length); // a retry: its bytes are counted already
                        }
                    }
                    return insert(c, ownerId, length, filename, metadata, idempotencyKey, now);
                });
            } catch (SQLException e) {
                if (!"23505".equals(e.getSQLState()) || idempotencyKey == null) {
                    throw e;
                }
                // a concurrent creation with the same key won: answer with its upload
                try (Connection c = db.connection()) {
                    return sameLength(byKey(c, ownerId, idempotencyKey).orElseThrow(() -> ProcessingException.database(e)),
                            length);
                }
            }
        } catch (SQLException e) {
            throw ProcessingException.database(e);
        }
    }

    /** In {@code tx}: the quota and open-upload checks, then the upload's row. */
    private ResumableUpload insert(Connection tx, UUID ownerId, long length, String filename, String metadata,
                                   String idempotencyKey, Instant now) throws SQLException {
        // The declared length next to what is stored and what the owner's unfinished uploads declared; in the
        // owner's transaction, so concurrent creations cannot share the last room.
        scenes.checkQuotaForOpening(tx, ownerId, length);
        try (PreparedStatement ps = tx.prepareStatement("SELECT count(*) FROM tus_uploads WHERE owner_id = ? "
                + "AND scene_id IS NULL AND expires_at > ?")) {
            ps.setObject(1, ownerId);
            ps.setTimestamp(2, Timestamp.from(now));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getLong(1) >= maxOpenPerOwner) {
                    throw new ResumableUploadException(ResumableUploadException.Reason.TOO_MANY_OPEN, -1,
                            "you have " + rs.getLong(1) + " unfinished uploads, the most one account may have ("
                            + dev.vsa.processing.Limits.RESUMABLE_MAX_OPEN + " = " + maxOpenPerOwner
                            + "): finish or delete one first");
                }
            }
        }
        try (PreparedStatement ps = tx.prepareStatement("INSERT INTO tus_uploads (id, owner_id, length_bytes, "
                + "filename, metadata, idempotency_key, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING " + COLUMNS)) {
            ps.setObject(1, UUID.randomUUID());
            ps.setObject(2, ownerId);
            ps.setLong(3, length);
            ps.setString(4, filename);
            ps.setString(5, metadata == null ? "" : metadata);
            ps.setString(6, idempotencyKey);
            ps.setTimestamp(7, Timestamp.from(now.plus(ttl)));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return row(rs);
            }
        }
    }

    private static ResumableUpload sameLength(ResumableUpload u, long length) {
        if (u.length() != length) {
            throw new ResumableUploadException(ResumableUploadException.Reason.KEY_REUSED, u.offset(), "this "
                    + "Idempotency-Key names an upload of " + u.length() + " bytes, not " + length);
        }
        return u;
    }

    /** The owner's upload, or empty (none, another owner's, or swept). */
    public Optional<ResumableUpload> find(UUID ownerId, UUID id) {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM tus_uploads WHERE id = ? AND owner_id = ?")) {
            ps.setObject(1, id);
            ps.setObject(2, ownerId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw ProcessingException.database(e);
        }
    }

    /**
     * Appends the bytes of {@code body} (read to its end) at {@code offset}. When the body breaks off (the client
     * went away, or the spool watcher closed a stalled connection), the bytes received are kept and the read's
     * {@link IOException} is rethrown; with a {@code checksum}, a piece is kept only whole and matching. When the
     * upload is then complete it becomes a scene (see the class comment).
     *
     * @param contentLength the body's declared length, or -1 if not declared
     * @param checksum      the piece's expected digest, or null
     * @param onStall       what to do when the spool watcher finds the body stalled (close the connection), or null
     * @return the upload afterwards (with its scene if it is complete), or empty if the owner has no such upload
     * @throws ResumableUploadException {@code OFFSET_MISMATCH}, {@code LOCKED}, {@code PAST_LENGTH},
     *                                  {@code CHECKSUM_MISMATCH}
     * @throws UploadRejectedException  if the finished file is refused as a scene (the upload is then deleted), or
     *                                  {@code BUSY} when too many uploads are in progress
     * @throws IOException              if reading the body failed (what arrived before is kept)
     */
    public Optional<ResumableUpload> append(UUID ownerId, UUID id, long offset, long contentLength, InputStream body,
            PieceChecksum checksum, Runnable onStall) throws IOException {
        Optional<ResumableUpload> found = find(ownerId, id);
        if (found.isEmpty()) {
            return found;
        }
        ResumableUpload u = found.get();
        if (u.offset() != offset) {
            throw mismatch(u.offset(), offset);
        }
        if (contentLength > u.length() - u.offset()) {
            throw pastLength(u);
        }
        if (!appending.add(id)) {
            throw new ResumableUploadException(ResumableUploadException.Reason.LOCKED, u.offset(),
                    "another request is appending to this upload; ask for its offset (HEAD) and go on from there");
        }
        try (UploadSpool spool = scenes.openSpool(ownerId)) {
            if (onStall != null) {
                spool.onStall(onStall);
            }
            if (!u.complete()) {
                if (chunkCount(id) >= MAX_CHUNKS) {
                    throw new ResumableUploadException(ResumableUploadException.Reason.PAST_LENGTH, u.offset(),
                            "this upload has " + MAX_CHUNKS + " pieces already: send larger pieces");
                }
                Path file = spool.dir().resolve("piece");
                IOException cut = null;
                long n = 0;
                long room = u.length() - u.offset();
                MessageDigest digest = checksum == null ? null : checksum.newDigest();
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    byte[] buf = new byte[BUFFER];
                    while (true) {
                        int r;
                        try {
                            // one byte more than fits, to tell a body that is too long from one that ends exactly
                            r = body.read(buf, 0, (int) Math.min(buf.length, room - n + 1));
                        } catch (IOException e) {
                            cut = e;
                            break;
                        }
                        if (r < 0) {
                            break;
                        }
                        if (n + r > room) {
                            throw pastLength(u);
                        }
                        ByteBuffer bb = ByteBuffer.wrap(buf, 0, r);
                        while (bb.hasRemaining()) {
                            ch.write(bb);
                        }
                        if (digest != null) {
                            digest.update(buf, 0, r);
                        }
                        n += r;
                    }
                }
                spool.sync();
                if (checksum != null) {
                    if (cut != null) {
                        throw cut; // a piece with a checksum is kept whole or not at all
                    }
                    if (!MessageDigest.isEqual(digest.digest(), checksum.digest())) {
                        throw new ResumableUploadException(ResumableUploadException.Reason.CHECKSUM_MISMATCH,
                                u.offset(), "the piece's " + checksum.algorithm() + " does not match Upload-Checksum; "
                                + "it was not stored");
                    }
                }
                if (n > 0) {
                    u = commitPiece(u, file, n);
                }
                if (cut != null) {
                    throw cut;
                }
            }
            if (u.complete() && u.sceneId() == null) {
                u = finish(u, spool);
            }
            return Optional.of(u);
        } finally {
            appending.remove(id);
        }
    }

    private static ResumableUploadException mismatch(long actual, long sent) {
        return new ResumableUploadException(ResumableUploadException.Reason.OFFSET_MISMATCH, actual, "Upload-Offset "
                + sent + " is not the upload's offset " + actual + "; go on from " + actual);
    }

    private static ResumableUploadException pastLength(ResumableUpload u) {
        return new ResumableUploadException(ResumableUploadException.Reason.PAST_LENGTH, u.offset(), "the piece "
                + "reaches past the declared Upload-Length of " + u.length() + " bytes; nothing of it was stored");
    }

    private long chunkCount(UUID id) {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM tus_chunks WHERE upload_id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw ProcessingException.database(e);
        }
    }

    /** Stores a piece as an object, then records it and moves the offset, if the offset is still where it was. */
    private ResumableUpload commitPiece(ResumableUpload u, Path file, long n) {
        // A key of its own for each attempt: two racing requests (two API processes) never overwrite each other's.
        String key = prefix(u.id()) + String.format(Locale.ROOT, "%020d", u.offset()) + "-"
                + HexFormat.of().formatHex(randomBytes(6));
        try {
            store.putConsuming(key, file, "application/octet-stream");
        } catch (IOException e) {
            throw new ProcessingException("storage failed during upload: " + e.getMessage(), e);
        }
        try {
            return db.inTransaction(c -> {
                long current;
                try (PreparedStatement ps = c.prepareStatement("SELECT offset_bytes FROM tus_uploads WHERE id = ? "
                        + "AND owner_id = ? FOR UPDATE")) {
                    ps.setObject(1, u.id());
                    ps.setObject(2, u.ownerId());
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            throw new ResumableUploadException(ResumableUploadException.Reason.GONE, -1,
                                    "the upload was deleted or expired while this piece arrived");
                        }
                        current = rs.getLong(1);
                    }
                }
                if (current != u.offset()) {
                    throw mismatch(current, u.offset()); // another process appended meanwhile
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO tus_chunks (upload_id, start_offset, "
                        + "size_bytes, storage_key) VALUES (?, ?, ?, ?)")) {
                    ps.setObject(1, u.id());
                    ps.setLong(2, u.offset());
                    ps.setLong(3, n);
                    ps.setString(4, key);
                    ps.executeUpdate();
                }
                ResumableUpload after;
                try (PreparedStatement ps = c.prepareStatement("UPDATE tus_uploads SET offset_bytes = offset_bytes + ?, "
                        + "expires_at = ? WHERE id = ? RETURNING " + COLUMNS)) {
                    ps.setLong(1, n);
                    ps.setTimestamp(2, Timestamp.from(clock.instant().plus(ttl)));
                    ps.setObject(3, u.id());
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        after = row(rs);
                    }
                }
                return after;
            });
        } catch (Database.CommitFailedException e) {
            throw ProcessingException.database(e); // the outcome is unknown: keep the object (the row may name it)
        } catch (SQLException | RuntimeException e) {
            deleteQuietly(key);
            throw e instanceof SQLException s ? ProcessingException.database(s) : (RuntimeException) e;
        }
    }

    /**
     * Concatenates the pieces into one file of the spool, hashing it on the way, and makes it a scene through
     * {@link SceneService#upload(UUID, List, String)}; records the scene on the upload and deletes the pieces.
     */
    private ResumableUpload finish(ResumableUpload u, UploadSpool spool) throws IOException {
        spool.sync(); // no body is read from here on: the watcher must not time the concatenation as a stalled upload
        List<String> keys = new ArrayList<>();
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT start_offset, size_bytes, storage_key FROM tus_chunks "
                     + "WHERE upload_id = ? ORDER BY start_offset")) {
            ps.setObject(1, u.id());
            long expect = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getLong(1) != expect) {
                        throw new IllegalStateException("upload " + u.id() + ": piece at " + rs.getLong(1)
                                + ", expected one at " + expect);
                    }
                    expect += rs.getLong(2);
                    keys.add(rs.getString(3));
                }
            }
            if (expect != u.length()) {
                throw new IllegalStateException("upload " + u.id() + ": pieces hold " + expect + " of " + u.length() + " bytes");
            }
        } catch (SQLException e) {
            throw ProcessingException.database(e);
        }
        Path whole = spool.dir().resolve("whole");
        MessageDigest sha = Digests.sha256();
        long written;
        try (OutputStream out = new DigestOutputStream(Files.newOutputStream(whole, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE), sha)) {
            for (String k : keys) {
                try (InputStream in = store.get(k)) {
                    in.transferTo(out);
                }
            }
        }
        written = Files.size(whole);
        if (written != u.length()) {
            throw new IllegalStateException("upload " + u.id() + ": assembled " + written + " of " + u.length() + " bytes");
        }
        if (store.scratchDirectory().isPresent()) {
            try (FileChannel ch = FileChannel.open(whole, StandardOpenOption.READ)) {
                ch.force(false); // it becomes the stored original by a rename: on disk before the scene is recorded
            }
        }
        String hex = HexFormat.of().formatHex(sha.digest());
        String declared = parseMetadata(u.metadata()).get("sha256");
        if (declared != null && !declared.equalsIgnoreCase(hex)) {
            delete(u.ownerId(), u.id());
            throw new ResumableUploadException(ResumableUploadException.Reason.CHECKSUM_MISMATCH, u.offset(), "the "
                    + "file's SHA-256 is " + hex + ", not the " + declared + " its metadata declared; the upload was deleted");
        }
        String key = u.idempotencyKey() != null ? u.idempotencyKey() : "tus-" + u.id();
        Scene scene;
        try {
            // its declared length is counted among the owner's unfinished uploads until this row has its scene
            scene = scenes.upload(u.ownerId(), List.of(UploadPart.ofFile(u.filename(), null, whole)), key,
                    options(parseMetadata(u.metadata())), u.length());
        } catch (UploadRejectedException e) {
            delete(u.ownerId(), u.id()); // not a scene this server takes: keeping its bytes would only fill the disk
            throw e;
        }
        ResumableUpload done;
        try {
            done = db.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("UPDATE tus_uploads SET sha256 = ?, scene_id = ?, "
                        + "job_id = ?, expires_at = ? WHERE id = ? RETURNING " + COLUMNS);
                     PreparedStatement del = c.prepareStatement("DELETE FROM tus_chunks WHERE upload_id = ?")) {
                    ps.setString(1, hex);
                    ps.setObject(2, scene.id());
                    ps.setObject(3, scene.latestJobId());
                    ps.setTimestamp(4, Timestamp.from(clock.instant().plus(ttl)));
                    ps.setObject(5, u.id());
                    ResumableUpload recorded;
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            return null; // deleted meanwhile
                        }
                        recorded = row(rs);
                    }
                    del.setObject(1, u.id());
                    del.executeUpdate();
                    return recorded;
                }
            });
        } catch (SQLException e) {
            throw ProcessingException.database(e);
        }
        if (done == null) {
            return u; // deleted meanwhile; the scene stands (it is whole)
        }
        deletePrefixQuietly(u.id());
        return done;
    }

    /**
     * Deletes the owner's upload and its stored pieces (the scene it may have become stays).
     *
     * @return false if the owner has no such upload
     */
    public boolean delete(UUID ownerId, UUID id) {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM tus_uploads WHERE id = ? AND owner_id = ?")) {
            ps.setObject(1, id);
            ps.setObject(2, ownerId);
            if (ps.executeUpdate() == 0) {
                return false;
            }
        } catch (SQLException e) {
            throw ProcessingException.database(e);
        }
        deletePrefixQuietly(id);
        return true;
    }

    /**
     * In {@code tx} (account deletion): deletes every upload of the owner. The caller queues the deletion of the
     * objects under the returned prefixes in the same transaction (a finished upload's pieces are gone already;
     * deleting nothing is harmless).
     *
     * @return the key prefix of each deleted upload's pieces
     */
    public static List<String> deleteAllOf(Connection tx, UUID ownerId) throws SQLException {
        List<String> prefixes = new ArrayList<>();
        try (PreparedStatement ps = tx.prepareStatement("DELETE FROM tus_uploads WHERE owner_id = ? RETURNING id, "
                + "scene_id IS NULL AS unfinished")) {
            ps.setObject(1, ownerId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getBoolean("unfinished")) {
                        prefixes.add(prefix(Rows.uuid(rs, "id")));
                    }
                }
            }
        }
        return prefixes;
    }

    /**
     * Deletes uploads that expired before {@code now} (unfinished ones with their pieces; finished ones only
     * forget their scene id). Rows another process is sweeping are skipped.
     *
     * @return how many were deleted
     */
    public int sweepExpired(Instant now) {
        List<UUID> gone = new ArrayList<>();
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM tus_uploads WHERE id IN (SELECT id FROM tus_uploads "
                     + "WHERE expires_at < ? ORDER BY expires_at LIMIT 1000 FOR UPDATE SKIP LOCKED) RETURNING id")) {
            ps.setTimestamp(1, Timestamp.from(now));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    gone.add(Rows.uuid(rs, "id"));
                }
            }
        } catch (SQLException e) {
            throw ProcessingException.database(e);
        }
        gone.forEach(this::deletePrefixQuietly);
        return gone.size();
    }

    /** Stops the sweeper. */
    @Override
    public synchronized void close() {
        if (sweeper != null) {
            sweeper.shutdownNow();
            sweeper = null;
        }
    }

    /**
     * Parses a tus {@code Upload-Metadata} header: comma-separated pairs of a key and its Base64 value (a key may
     * stand alone: empty value).
     *
     * @return the decoded values by key, in order; empty for a null or blank header
     * @throws IllegalArgumentException naming the bad pair
     */
    public static Map<String, String> parseMetadata(String header) {
        Map<String, String> m = new LinkedHashMap<>();
        if (header == null || header.isBlank()) {
            return m;
        }
        if (header.length() > 4096) {
            throw new IllegalArgumentException("Upload-Metadata is longer than 4096 characters");
        }
        for (String pair : header.split(",")) {
            String p = pair.strip();
            String[] kv = p.split(" ", -1);
            if (p.isEmpty() || kv.length > 2 || kv[0].isEmpty()) {
                throw new IllegalArgumentException("Upload-Metadata: '" + p + "' is not 'key base64value'");
            }
            String value;
            try {
                value = kv.length == 2 ? new String(Base64.getDecoder().decode(kv[1]), StandardCharsets.UTF_8) : "";
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Upload-Metadata: the value of '" + kv[0] + "' is not Base64");
            }
            if (m.put(kv[0], value) != null) {
                throw new IllegalArgumentException("Upload-Metadata: key '" + kv[0] + "' is given twice");
            }
        }
        String sha = m.get("sha256");
        if (sha != null && !sha.matches("[0-9a-fA-F]{64}")) {
            throw new IllegalArgumentException("Upload-Metadata: sha256 must be 64 hex digits");
        }
        return m;
    }

    /**
     * The processing options an upload carries as the metadata value {@code options} (the JSON of
     * {@link ProcessingOptions#toJson()}, as {@code POST /upload/} takes it), else the defaults.
     *
     * @throws dev.vsa.processing.InvalidRequestException naming the field if an option is bad
     */
    static ProcessingOptions options(Map<String, String> meta) {
        String json = meta.get("options");
        if (json == null || json.isBlank()) {
            return ProcessingOptions.DEFAULTS;
        }
        JsonNode n;
        try {
            n = Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new dev.vsa.processing.InvalidRequestException("options", "the options metadata is not valid JSON");
        }
        return ProcessingOptions.fromJson(n);
    }

    /** A piece's expected digest from a tus {@code Upload-Checksum} header ({@code algorithm base64digest}). */
    public record PieceChecksum(String algorithm, byte[] digest) {
        /**
         * @throws IllegalArgumentException if the header is malformed or names an algorithm not in
         *                                  {@link #CHECKSUM_ALGORITHMS}
         */
        public static PieceChecksum parse(String header) {
            String[] p = header.strip().split(" ");
            if (p.length != 2) {
                throw new IllegalArgumentException("Upload-Checksum must be '<algorithm> <base64 digest>'");
            }
            String algo = p[0].toLowerCase(Locale.ROOT);
            if (!CHECKSUM_ALGORITHMS.contains(algo)) {
                throw new IllegalArgumentException("Upload-Checksum algorithm '" + p[0] + "' is not one of "
                        + String.join(", ", CHECKSUM_ALGORITHMS));
            }
            try {
                return new PieceChecksum(algo, Base64.getDecoder().decode(p[1]));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Upload-Checksum: the digest is not Base64");
            }
        }

        MessageDigest newDigest() {
            return Digests.of(switch (algorithm) {
                case "sha1" -> "SHA-1";
                case "sha256" -> "SHA-256";
                default -> "MD5";
            });
        }
    }

    private Optional<ResumableUpload> byKey(Connection c, UUID ownerId, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM tus_uploads WHERE owner_id = ? "
                + "AND idempotency_key = ?")) {
            ps.setObject(1, ownerId);
            ps.setString(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    private static ResumableUpload row(ResultSet rs) throws SQLException {
        return new ResumableUpload(Rows.uuid(rs, "id"), Rows.uuid(rs, "owner_id"), rs.getLong("length_bytes"),
                rs.getLong("offset_bytes"), rs.getString("filename"), rs.getString("metadata"),
                rs.getString("idempotency_key"), rs.getString("sha256"), Rows.uuid(rs, "scene_id"),
                Rows.uuid(rs, "job_id"), Rows.instant(rs, "created_at"), Rows.instant(rs, "expires_at"));
    }

    private static String prefix(UUID id) {
        return "tus/" + id + "/";
    }

    private void deleteQuietly(String key) {
        try {
            store.delete(key);
        } catch (IOException | RuntimeException ignored) {
            // an orphan under the upload's prefix: deleted with the upload
        }
    }

    private void deletePrefixQuietly(UUID id) {
        try {
            store.deletePrefix(prefix(id));
        } catch (IOException | RuntimeException ignored) {
            // left for an operator: the row that named them is gone
        }
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
