package dev.vsa.processing;

import dev.vsa.core.scene.DetectedScene;
import dev.vsa.processing.internal.Database;
import dev.vsa.processing.internal.FileTrees;
import dev.vsa.processing.internal.JobQueue;
import dev.vsa.processing.internal.Json;
import dev.vsa.processing.internal.Rows;
import dev.vsa.processing.storage.ObjectInfo;
import dev.vsa.processing.storage.ObjectStore;
import dev.vsa.processing.storage.PresignedMultipart;
import dev.vsa.processing.storage.PresignedMultipart.PartTag;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Uploads whose bytes go straight from the client to the bucket (S3 storage only). {@link #start} checks the declared
 * size against the upload limit and the owner's quota, opens a multipart upload under a key the server chooses (the
 * future scene's original) and hands out one presigned URL per part; the client PUTs the parts and calls
 * {@link #complete}, which joins them, checks the object's size (HEAD) and SHA-256 (read back once and hashed: S3
 * offers no whole-object SHA-256 for multipart uploads, only a checksum of part checksums, and S3Proxy none), and only
 * then records the scene through {@link SceneService#record}, the same path an upload through the API ends in. A
 * mismatch deletes the object and makes no scene. Each upload's expiry is a job queued with it ({@link #EXPIRE}, due
 * at the expiry): it aborts whatever the client left open, so no multipart upload outlives its session.
 *
 * <p>Sessions are per owner: another owner's is absent ({@code Optional.empty()}, {@code false}). Database and store
 * failures throw {@link ProcessingException}.
 */
public final class DirectUploads {
    /** Job kind that aborts an expired upload's multipart upload and forgets the session. */
    public static final String EXPIRE = "direct-upload-expire";
    /** Part size when the client names none. */
    public static final long DEFAULT_PART_SIZE = 16L << 20;
    /**
     * Bytes of the object's head kept on disk for format detection: every header vsa sniffs fits (PLY headers are
     * at most 64 KiB), and a .gltf's JSON up to this size; the scratch file is sparse past them.
     */
    static final int HEAD_BYTES = 4 << 20;
    /** A completion that has not finished after this long died with its process; the expiry job may clean up. */
    static final Duration COMPLETING_STALE = Duration.ofHours(1);
    /** Attempts of an expiry job (the queue's backoff is capped at 5 minutes, so these span hours). */
    static final int EXPIRE_MAX_ATTEMPTS = 100;

    private final Database db;
    private final ObjectStore store;
    private final SceneService scenes;
    private final ProcessingConfig config;

    DirectUploads(Database db, ObjectStore store, SceneService scenes, ProcessingConfig config) {
        this.db = db;
        this.store = store;
        this.scenes = scenes;
        this.config = config;
    }

    /** One part the client sends: PUT exactly {@code size} bytes to {@code url}. */
    public record Part(int number, URI url, long size) {
    }

    /** An open upload as {@link #start} made it. */
    public record Session(UUID id, String filename, long size, String sha256, long partSize, List<Part> parts,
                          Instant expiresAt) {
    }

    /** Whether this store takes direct uploads (S3 does, a local directory does not). */
    public boolean available() {
        return store.presignedMultipart().isPresent();
    }

    /**
     * Opens a direct upload of one scene file.
     *
     * @param partSize bytes per part (the last may be shorter), or null for {@link #DEFAULT_PART_SIZE}; raised when
     *                 the file would need more than {@link PresignedMultipart#MAX_PARTS} parts
     * @throws DirectUploadException   {@code UNAVAILABLE} on a store without direct uploads
     * @throws InvalidRequestException (field {@code size}, {@code sha256} or {@code part_size}) for a bad value
     * @throws UploadRejectedException {@code TOO_LARGE} past the upload limit, {@code QUOTA} or {@code SCENE_LIMIT}
     *                                 when the owner's quota (counting what their unfinished resumable and direct
     *                                 uploads declared) has no room,
     *                                 {@code BAD_PARTS} for an unsafe file name
     */
    public Session start(UUID ownerId, String filename, long size, String sha256, Long partSize) {
        return start(ownerId, filename, size, sha256, partSize, ProcessingOptions.DEFAULTS);
    }

    /**
     * As {@link #start(UUID, String, long, String, Long)}; the scene is processed with {@code options} (kept with the
     * upload until it completes; whether they fit the scene, e.g. no transforms for a glTF mesh, is known only then).
     */
    public Session start(UUID ownerId, String filename, long size, String sha256, Long partSize,
                         ProcessingOptions options) {
        PresignedMultipart multipart = multipart();
        String name = SceneService.cleanName(filename, null);
        if (size <= 0) {
            throw new InvalidRequestException("size", "size must be the file's length in bytes (> 0), was " + size);
        }
        if (sha256 == null || !sha256.matches("[0-9a-fA-F]{64}")) {
            throw new InvalidRequestException("sha256", "sha256 must be the file's SHA-256 as 64 hex digits");
        }
        long asked = partSize == null ? DEFAULT_PART_SIZE : partSize;
        if (asked < PresignedMultipart.MIN_PART_SIZE || asked > PresignedMultipart.MAX_PART_SIZE) {
            throw new InvalidRequestException("part_size", "part_size must be " + PresignedMultipart.MIN_PART_SIZE
                    + ".." + PresignedMultipart.MAX_PART_SIZE + " bytes (S3's limits), was " + asked);
        }
        if (size > config.maxUploadBytes()) {
            throw new UploadRejectedException(UploadRejectedException.Reason.TOO_LARGE, null,
                    "the upload is larger than this server's limit of " + config.maxUploadBytes() + " bytes");
        }
        // Limits before work: the owner's scenes and quota, counting what their unfinished uploads declared; without
        // the owner's turn, which only the transaction that records this upload takes (and checks again).
        scenes.checkQuota(ownerId, size);
        long part = Math.max(asked, ceilDiv(size, PresignedMultipart.MAX_PARTS));
        int count = (int) ceilDiv(size, part);

        UUID id = UUID.randomUUID();
        UUID sceneId = UUID.randomUUID();
        String key = SceneService.originalKey(sceneId, 0);
        Duration ttl = config.directUploadExpiry();
        Instant expires = Instant.now().plus(ttl);
        String uploadId;
        List<Part> parts = new ArrayList<>(count);
        try {
            uploadId = multipart.create(key, contentTypeByName(name));
        } catch (IOException e) {
            throw new ProcessingException("storage failed opening a direct upload: " + e.getMessage(), e);
        }
        try {
            for (int n = 1; n <= count; n++) {
                long len = n < count ? part : size - part * (count - 1);
                parts.add(new Part(n, multipart.presignPart(key, uploadId, n, len, ttl), len));
            }
            scenes.inOwnerTransaction(ownerId, c -> {
                scenes.checkQuotaForOpening(c, ownerId, size); // another opening may have taken the room meanwhile
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO direct_uploads (id, owner_id, scene_id, "
                        + "storage_key, multipart_id, filename, size_bytes, sha256, part_size, expires_at, "
                        + "processing_options) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)")) {
                    ps.setObject(1, id);
                    ps.setObject(2, ownerId);
                    ps.setObject(3, sceneId);
                    ps.setString(4, key);
                    ps.setString(5, uploadId);
                    ps.setString(6, name);
                    ps.setLong(7, size);
                    ps.setString(8, sha256.toLowerCase(Locale.ROOT));
                    ps.setLong(9, part);
                    ps.setObject(10, OffsetDateTime.ofInstant(expires, ZoneOffset.UTC));
                    ps.setString(11, Json.write(options.toJson()));
                    ps.executeUpdate();
                }
                // The session and its end are committed together: no multipart upload without its expiry.
                JobQueue.enqueue(c, EXPIRE, null, Json.object().put("upload_id", id.toString()),
                        EXPIRE_MAX_ATTEMPTS, expires);
                return null;
            });
        } catch (SQLException | IOException | RuntimeException e) {
            abortQuietly(multipart, key, uploadId);
            if (e instanceof SQLException sql) {
                throw ProcessingException.database(sql);
            }
            if (e instanceof IOException io) {
                throw new ProcessingException("storage failed presigning a direct upload: " + io.getMessage(), io);
            }
            throw (RuntimeException) e;
        }
        return new Session(id, name, size, sha256.toLowerCase(Locale.ROOT), part, List.copyOf(parts), expires);
    }

    /**
     * Completes the owner's upload: joins the parts, checks size and SHA-256, detects the format, and records the scene
     * with its {@code process} job. Calling it again after success returns the same scene.
     *
     * @return the new scene, or empty if the owner has no such upload
     * @throws DirectUploadException   {@code INCOMPLETE} (parts missing or refused by the store: the upload stays open
     *                                 to send them), {@code SIZE_MISMATCH} or {@code CHECKSUM_MISMATCH} (object deleted,
     *                                 upload closed), {@code IN_PROGRESS}, {@code EXPIRED}
     * @throws UploadRejectedException the file is no scene vsa reads, or no longer fits the quota (object deleted,
     *                                 upload closed)
     * @throws InvalidRequestException the upload's processing options do not fit the scene (transforms for a glTF
     *                                 mesh; object deleted, upload closed), or the part list is malformed
     */
    public Optional<Scene> complete(UUID ownerId, UUID id, List<PartTag> parts) {
        Row row = claimOpen(ownerId, id, "completing", true);
        if (row == null) {
            Optional<Row> other = load(ownerId, id);
            if (other.isEmpty()) {
                return Optional.empty();
            }
            Row r = other.get();
            return switch (r.state) {
                case "completed" -> scenes.get(ownerId, r.sceneId);
                case "completing" -> throw new DirectUploadException(DirectUploadException.Reason.IN_PROGRESS,
                        "another completion of upload " + id + " is verifying it now");
                default -> throw expired(id);
            };
        }
        PresignedMultipart multipart = multipart();
        int count = (int) ceilDiv(row.size, row.partSize);
        TreeSet<Integer> missing = new TreeSet<>();
        for (int n = 1; n <= count; n++) {
            missing.add(n);
        }
        List<PartTag> sorted = new ArrayList<>();
        for (PartTag p : parts) {
            if (p.number() < 1 || p.number() > count || !missing.remove(p.number())) {
                reopen(row);
                throw new InvalidRequestException("parts", "part " + p.number() + " is not one of 1.." + count
                        + " or is named twice");
            }
            if (p.etag() == null || p.etag().isBlank()) {
                reopen(row);
                throw new InvalidRequestException("parts", "part " + p.number() + " has no etag");
            }
            sorted.add(p);
        }
        if (!missing.isEmpty()) {
            reopen(row);
            throw new DirectUploadException(DirectUploadException.Reason.INCOMPLETE, "upload " + id + " has " + count
                    + " parts; missing from the completion: " + missing + " (send them, then complete again)");
        }
        sorted.sort(java.util.Comparator.comparingInt(PartTag::number));
        try {
            multipart.complete(row.key, row.multipartId, sorted);
        } catch (PresignedMultipart.PartsRejectedException e) {
            reopen(row);
            throw new DirectUploadException(DirectUploadException.Reason.INCOMPLETE, "the store refused the parts of upload "
                    + id + " (" + e.getMessage() + "); send the missing ones, then complete again");
        } catch (IOException e) {
            reopen(row);
            throw new ProcessingException("storage failed completing upload " + id + ": " + e.getMessage(), e);
        }
        // From here the object exists: every way out but success deletes it and closes the session.
        Path scratch = null;
        boolean recorded = false;
        try {
            Optional<ObjectInfo> info = store.stat(row.key);
            long got = info.map(ObjectInfo::size).orElse(-1L);
            if (got != row.size) {
                throw new DirectUploadException(DirectUploadException.Reason.SIZE_MISMATCH, "the parts of upload " + id
                        + " add up to " + got + " bytes, " + row.size + " were declared; nothing was kept");
            }
            scratch = Files.createTempDirectory(scenes.stagingDirectory(), "direct-");
            Path head = scratch.resolve(Path.of(row.filename).getFileName().toString());
            String sha = hashAndKeepHead(row.key, row.size, head);
            if (!sha.equals(row.sha256)) {
                throw new DirectUploadException(DirectUploadException.Reason.CHECKSUM_MISMATCH, "the SHA-256 of upload "
                        + id + " is " + sha + ", " + row.sha256 + " was declared; nothing was kept");
            }
            DetectedScene detected = SceneService.detectSingle(row.filename, head, config.limits().uploadGltfCheckMaxBytes());
            Reprocessing.check(row.options, detected);
            Scene scene = scenes.record(ownerId, row.sceneId, List.of(new SceneService.StoredOriginal(row.filename,
                    row.key, row.size, SceneService.contentType(detected.format()))), detected, null, sha, row.options,
                    row.size, // this upload's own declared bytes, counted among the open ones until now
                    tx -> {
                        // Fenced: an expiry job that took the session over meanwhile makes this roll back.
                        try (PreparedStatement ps = tx.prepareStatement("UPDATE direct_uploads SET state = 'completed', "
                                + "updated_at = clock_timestamp() WHERE id = ? AND state = 'completing'")) {
                            ps.setObject(1, id);
                            if (ps.executeUpdate() != 1) {
                                throw expired(id);
                            }
                        }
                    });
            recorded = true;
            return Optional.of(scene);
        } catch (IOException e) {
            throw new ProcessingException("storage failed verifying upload " + id + ": " + e.getMessage(), e);
        } finally {
            if (scratch != null) {
                FileTrees.deleteTree(scratch);
            }
            if (!recorded) {
                close(row);
            }
        }
    }

    /**
     * Aborts the owner's open upload: the store frees its parts, the session is forgotten.
     *
     * @return false if the owner has no such upload
     * @throws DirectUploadException {@code COMPLETED} once it became a scene (delete the scene instead),
     *                               {@code IN_PROGRESS} while a completion verifies it
     */
    public boolean abort(UUID ownerId, UUID id) {
        Row row = claimOpen(ownerId, id, "closing", false);
        if (row == null) {
            Optional<Row> other = load(ownerId, id);
            if (other.isEmpty()) {
                return false;
            }
            return switch (other.get().state) {
                case "completed" -> throw new DirectUploadException(DirectUploadException.Reason.COMPLETED, "upload " + id
                        + " became scene " + other.get().sceneId + "; delete the scene to remove it");
                case "completing" -> throw new DirectUploadException(DirectUploadException.Reason.IN_PROGRESS,
                        "a completion of upload " + id + " is verifying it now");
                default -> true; // being closed already
            };
        }
        close(row);
        return true;
    }

    /**
     * The expiry job's work: aborts the multipart upload of an expired session and deletes what it may have left, then
     * forgets the session (a completed one is only forgotten). Idempotent.
     *
     * @throws IOException if the store fails, or a completion may still be running (the job is retried later)
     */
    void expire(UUID id) throws IOException, SQLException {
        Row row;
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT *, expires_at <= clock_timestamp() AS expired, "
                     + "updated_at < clock_timestamp() - make_interval(secs => ?) AS stale FROM direct_uploads WHERE id = ?")) {
            ps.setDouble(1, COMPLETING_STALE.toSeconds());
            ps.setObject(2, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return;
                }
                row = Row.read(rs);
                if (row.state.equals("completed")) {
                    delete(c, id, "completed");
                    return;
                }
                if (!rs.getBoolean("expired")) {
                    throw new IOException("direct upload " + id + " has not expired yet");
                }
                if (row.state.equals("completing") && !rs.getBoolean("stale")) {
                    throw new IOException("a completion of direct upload " + id + " is still running");
                }
            }
            try (PreparedStatement up = c.prepareStatement("UPDATE direct_uploads SET state = 'closing', "
                    + "updated_at = clock_timestamp() WHERE id = ? AND state = ?")) {
                up.setObject(1, id);
                up.setString(2, row.state);
                if (up.executeUpdate() != 1) {
                    throw new IOException("direct upload " + id + " changed while expiring; trying again");
                }
            }
        }
        removeObjects(row);
        try (Connection c = db.connection()) {
            delete(c, id, "closing");
        }
    }

    /**
     * In {@code tx} (account deletion): every unfinished upload of the owner expires now and its expiry job is due
     * now (one more job per upload; the one queued at its start finds nothing left to do). The job aborts the
     * multipart upload and frees its parts, retried until the store answers; a completion running meanwhile fails
     * to record its scene (no owner) and deletes its object.
     */
    static void expireAllOf(Connection tx, UUID ownerId) throws SQLException {
        List<UUID> ids = new ArrayList<>();
        try (PreparedStatement ps = tx.prepareStatement("UPDATE direct_uploads SET expires_at = clock_timestamp() "
                + "WHERE owner_id = ? AND state <> 'completed' RETURNING id")) {
            ps.setObject(1, ownerId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(Rows.uuid(rs, "id"));
                }
            }
        }
        for (UUID id : ids) {
            JobQueue.enqueue(tx, EXPIRE, null, Json.object().put("upload_id", id.toString()), EXPIRE_MAX_ATTEMPTS);
        }
    }

    /** The owner's upload as stored, any state. */
    private Optional<Row> load(UUID ownerId, UUID id) {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT * FROM direct_uploads WHERE id = ? AND owner_id = ?")) {
            ps.setObject(1, id);
            ps.setObject(2, ownerId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(Row.read(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw ProcessingException.database(e);
        }
    }

    /** A completion that could not finish verifying gives the session back: the client may send parts and retry. */
    private void reopen(Row row) {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("UPDATE direct_uploads SET state = 'open', "
                     + "updated_at = clock_timestamp() WHERE id = ? AND state = 'completing'")) {
            ps.setObject(1, row.id);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw ProcessingException.database(e);
        }
    }

    /**
     * Ends a session that will make no scene: its object deleted, then its row. If the store fails, the row stays
     * (closing) and the expiry job finishes the work.
     */
    private void close(Row row) {
        try (Connection c = db.connection()) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE direct_uploads SET state = 'closing', "
                    + "updated_at = clock_timestamp() WHERE id = ? AND state IN ('open', 'completing', 'closing')")) {
                ps.setObject(1, row.id);
                if (ps.executeUpdate() != 1) {
                    return; // completed meanwhile by nobody else (fenced), or gone: nothing of ours to remove
                }
            }
            removeObjects(row);
            delete(c, row.id, "closing");
        } catch (IOException e) {
            // the expiry job retries it
        } catch (SQLException e) {
            throw ProcessingException.database(e);
        }
    }

    private void removeObjects(Row row) throws IOException {
        multipart().abort(row.key, row.multipartId);
        store.delete(row.key);
    }

    private static void delete(Connection c, UUID id, String state) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM direct_uploads WHERE id = ? AND state = ?")) {
            ps.setObject(1, id);
            ps.setString(2, state);
            ps.executeUpdate();
        }
    }

    /** Reads the object once: its SHA-256, and its first {@link #HEAD_BYTES} into a sparse file of its size. */
    private String hashAndKeepHead(String key, long size, Path head) throws IOException {
        MessageDigest sha = Digests.sha256();
        try (InputStream in = store.get(key); RandomAccessFile out = new RandomAccessFile(head.toFile(), "rw")) {
            byte[] buf = new byte[256 * 1024];
            long kept = 0;
            for (int r; (r = in.read(buf)) >= 0; ) {
                sha.update(buf, 0, r);
                if (kept < HEAD_BYTES) {
                    int n = (int) Math.min(r, HEAD_BYTES - kept);
                    out.write(buf, 0, n);
                    kept += n;
                }
            }
            out.setLength(size);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private PresignedMultipart multipart() {
        return store.presignedMultipart().orElseThrow(() -> new DirectUploadException(
                DirectUploadException.Reason.UNAVAILABLE, "this server keeps objects on its own disk, so uploads cannot "
                + "go straight to storage; upload through POST /upload/ instead (vsa upload without --direct)"));
    }

    private static DirectUploadException expired(UUID id) {
        return new DirectUploadException(DirectUploadException.Reason.EXPIRED, "upload " + id
                + " has expired or is being aborted; start a new one");
    }

    private static void abortQuietly(PresignedMultipart multipart, String key, String uploadId) {
        try {
            multipart.abort(key, uploadId);
        } catch (IOException ignored) {
            // a bucket lifecycle rule for incomplete multipart uploads removes it (docs/operations.md)
        }
    }

    /** The content type the object is opened with, by name (detection happens only once the bytes are there). */
    private static String contentTypeByName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".glb") ? "model/gltf-binary" : n.endsWith(".gltf") ? "model/gltf+json" : "application/octet-stream";
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    /** A direct_uploads row. */
    private record Row(UUID id, UUID sceneId, String key, String multipartId, String filename, long size,
                       String sha256, long partSize, String state, ProcessingOptions options) {
        static Row read(ResultSet rs) throws SQLException {
            return new Row(Rows.uuid(rs, "id"), Rows.uuid(rs, "scene_id"), rs.getString("storage_key"),
                    rs.getString("multipart_id"), rs.getString("filename"), rs.getLong("size_bytes"),
                    rs.getString("sha256"), rs.getLong("part_size"), rs.getString("state"),
                    ProcessingOptions.fromJson(Json.parse(rs.getString("processing_options"))));
        }
    }

    /**
     * Moves the owner's open upload to {@code state} (only one request wins) and returns it, or null when it is not
     * open (or, with {@code unexpired}, has expired).
     */
    private Row claimOpen(UUID ownerId, UUID id, String state, boolean unexpired) {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("UPDATE direct_uploads SET state = ?, "
                     + "updated_at = clock_timestamp() WHERE id = ? AND owner_id = ? AND state = 'open' "
                     + (unexpired ? "AND expires_at > clock_timestamp() " : "") + "RETURNING *")) {
            ps.setString(1, state);
            ps.setObject(2, id);
            ps.setObject(3, ownerId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Row.read(rs) : null;
            }
        } catch (SQLException e) {
            throw ProcessingException.database(e);
        }
    }

}
