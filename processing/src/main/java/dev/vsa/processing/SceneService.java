package dev.vsa.processing;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vsa.core.error.ErrorCode;
import dev.vsa.core.error.MalformedInputException;
import dev.vsa.core.lod.LodSetInfo;
import dev.vsa.core.lod.LodSets;
import dev.vsa.core.scene.DetectedScene;
import dev.vsa.core.scene.SceneFormat;
import dev.vsa.core.scene.Scenes;
import dev.vsa.processing.internal.Database;
import dev.vsa.processing.internal.FileTrees;
import dev.vsa.processing.internal.JobQueue;
import dev.vsa.processing.internal.Json;
import dev.vsa.processing.internal.ProcessDir;
import dev.vsa.processing.internal.Rows;
import dev.vsa.processing.storage.ObjectStore;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Scenes of an owner: upload (store + row + job, or nothing), list, get, delete, file downloads and
 * conversion requests. Every read and write is scoped to the owner: another owner's scene is simply absent
 * ({@code Optional.empty()}, {@code false}), which a server answers with 404.
 *
 * <p>Failures of the database or the store throw {@link ProcessingException}.
 */
public final class SceneService {
    /** Most files one upload (or one zip) may hold. */
    public static final int MAX_FILES = 1000;
    /** Largest page {@link #list} returns. */
    public static final int MAX_PAGE = 200;

    private final Database db;
    private final ObjectStore store;
    private final ProcessingConfig config;
    /** Names of this process's staging directories (and their lock files) in the staging root. */
    private static final String STAGING_PREFIX = "proc-";
    private ProcessDir staging;

    /** Uploads in flight ({@link Limits#uploadMaxConcurrent()}). */
    private final java.util.concurrent.Semaphore uploadPermits;
    /** The one thread that flushes and times every open spool. */
    private final UploadSpool.Watcher spoolWatcher;
    /** Owner transactions ({@link #inOwnerTransaction}): one owner's at a time, waiting without a connection. */
    private final OwnerTurns ownerTurns;
    /** Uploads in flight per account ({@link Limits#uploadMaxConcurrentPerUser()}). */
    private final OwnerCounts ownerUploads;

    SceneService(Database db, ObjectStore store, ProcessingConfig config, OwnerTurns ownerTurns) {
        this.db = db;
        this.ownerTurns = ownerTurns;
        this.store = store;
        this.config = config;
        this.uploadPermits = new java.util.concurrent.Semaphore(config.limits().uploadMaxConcurrent());
        this.ownerUploads = new OwnerCounts(config.limits().uploadMaxConcurrentPerUser());
        this.spoolWatcher = new UploadSpool.Watcher(config.limits().uploadIdleTimeout(),
                config.limits().uploadMinBytesPerSecond());
    }

    /**
     * Where an upload is spooled before it is stored: a directory of this process's own (see
     * {@link ProcessDir}) on the local store's file system (so storing is a rename), else under the vsa home. An
     * HTTP server writes multipart parts here and hands them over as {@link UploadPart#ofFile file parts}.
     *
     * @throws IOException if the directory cannot be created
     */
    public Path stagingDirectory() throws IOException {
        return Files.createDirectories(staging().path());
    }

    private synchronized ProcessDir staging() throws IOException {
        if (staging == null) {
            staging = ProcessDir.create(stagingRoot(), STAGING_PREFIX);
        }
        return staging;
    }

    private Path stagingRoot() {
        return store.scratchDirectory().orElse(config.home().resolve("tmp").resolve("uploads"));
    }

    /**
     * Deletes what a process that died mid-upload (SIGKILL, OOM killer, power loss) left in the staging root:
     * directories whose owner no longer holds their lock, at once; and entries from before staging
     * directories had owners once untouched for {@code legacyAge}. Best effort.
     */
    void sweepStaging(java.time.Duration legacyAge) {
        Path root = stagingRoot();
        ProcessDir.sweep(root, STAGING_PREFIX, legacyAge);
        long cutoff = System.currentTimeMillis() - legacyAge.toMillis();
        try (java.util.stream.Stream<Path> entries = Files.list(root)) {
            for (Path e : entries.toList()) {
                if (!e.getFileName().toString().startsWith(STAGING_PREFIX) && newestModification(e) < cutoff) {
                    FileTrees.deleteTree(e);
                }
            }
        } catch (IOException | java.io.UncheckedIOException ignored) {
            // best effort: the next start tries again
        }
    }

    /** Releases (and deletes) this process's staging directory. */
    synchronized void close() {
        if (staging != null) {
            staging.close();
            staging = null;
        }
    }

    private static long newestModification(Path p) throws IOException {
        try (java.util.stream.Stream<Path> s = Files.walk(p)) {
            return s.mapToLong(f -> f.toFile().lastModified()).max().orElse(Long.MAX_VALUE);
        }
    }

    /**
     * A fresh {@link UploadSpool} for one upload's incoming files; its files are flushed to disk as they grow when
     * they will become the stored objects (a local store), not when they are copied elsewhere (S3). Counted against
     * {@code ownerId}'s own limit ({@link Limits#uploadMaxConcurrentPerUser()}), checked first: an account sending
     * more uploads at once than it may is told to slow down (429), and the process's shared capacity
     * ({@link Limits#uploadMaxConcurrent()}) stays for the others; both until closed. Timed by the process's one
     * spool watcher ({@link Limits#uploadIdleTimeout()}, {@link Limits#uploadMinBytesPerSecond()}). Call it on the
     * thread that reads the body: a stalled upload interrupts it.
     *
     * @param ownerId the account uploading
     * @throws UploadRejectedException with reason {@code USER_BUSY} past the account's limit, {@code BUSY} past
     *                                 the process's
     * @throws IOException if the directory cannot be created
     */
    public UploadSpool openSpool(UUID ownerId) throws IOException {
        java.util.Objects.requireNonNull(ownerId, "ownerId");
        if (!ownerUploads.tryTake(ownerId)) {
            throw new UploadRejectedException(UploadRejectedException.Reason.USER_BUSY, null,
                    "too many uploads of this account in progress (" + Limits.UPLOAD_MAX_CONCURRENT_PER_USER + " = "
                            + config.limits().uploadMaxConcurrentPerUser() + "); try again shortly");
        }
        Runnable releaseOwner = () -> ownerUploads.give(ownerId);
        if (!uploadPermits.tryAcquire()) {
            releaseOwner.run();
            throw new UploadRejectedException(UploadRejectedException.Reason.BUSY, null, "too many uploads in progress ("
                    + Limits.UPLOAD_MAX_CONCURRENT + " = " + config.limits().uploadMaxConcurrent() + "); try again shortly");
        }
        try {
            return new UploadSpool(Files.createTempDirectory(stagingDirectory(), "request-"),
                    store.scratchDirectory().isPresent(), spoolWatcher, () -> {
                        uploadPermits.release();
                        releaseOwner.run();
                    });
        } catch (IOException | RuntimeException e) {
            uploadPermits.release();
            releaseOwner.run();
            throw e;
        }
    }

    /** Key of the n-th original file of a scene. */
    static String originalKey(UUID sceneId, int n) {
        return "scenes/" + sceneId + "/original/" + n;
    }

    /** Key of an output of a scene; {@code name} is one of vsa's own deterministic names. */
    static String outputKey(UUID sceneId, String name) {
        return "scenes/" + sceneId + "/outputs/" + name;
    }

    /** A file of the upload on local disk, before it is stored. */
    private record Staged(String name, Path path, long size) {
    }

    /** Reads of a streamed part: large enough for few system calls, small enough to stay in cache. */
    private static final int STAGE_BUFFER = 128 * 1024;

    /**
     * Accepts an upload: a scene file, or a {@code .gltf} with its resources as further parts, or one
     * {@code .zip} holding either. Streams every part to a scratch file, or takes over a part already on disk
     * (counting against {@link ProcessingConfig#maxUploadBytes()}), detects the format by content,
     * stores the files under id-based keys, then inserts the scene, its file rows and a {@code process} job in
     * one transaction. Either all of that happens or nothing does: on any failure the stored objects are
     * deleted and no row exists. The scene's SHA-256 is left to the process job, which reads every byte anyway:
     * hashing here would cost the upload a second pass over its bytes.
     *
     * @return the new scene, status {@code UPLOADED}, with {@link Scene#latestJobId()} the process job
     * @throws UploadRejectedException if the upload is empty, too large, not a readable scene, a bad zip, or
     *                                 its parts do not make one scene
     * @throws IOException             if reading a part fails (the client went away)
     * @throws ProcessingException     if the store or the database fails
     */
    public Scene upload(UUID ownerId, List<UploadPart> parts) throws IOException {
        return upload(ownerId, parts, null);
    }

    /**
     * As {@link #upload(UUID, List)}, idempotent for {@code idempotencyKey} (null: none): when the owner already
     * has a scene made with that key, it is returned and nothing new is stored.
     *
     * @throws IllegalArgumentException if the key is blank, longer than 200 characters or not printable ASCII
     */
    public Scene upload(UUID ownerId, List<UploadPart> parts, String idempotencyKey) throws IOException {
        return upload(ownerId, parts, idempotencyKey, ProcessingOptions.DEFAULTS);
    }

    /**
     * As {@link #upload(UUID, List, String)}, processed with {@code options} (stored with the scene and given to
     * its process job).
     *
     * @throws InvalidRequestException if the options do not fit the scene (transforms or a frame for a glTF mesh)
     */
    public Scene upload(UUID ownerId, List<UploadPart> parts, String idempotencyKey, ProcessingOptions options)
            throws IOException {
        return upload(ownerId, parts, idempotencyKey, options, 0);
    }

    /**
     * As {@link #upload(UUID, List, String, ProcessingOptions)}, for the bytes of an unfinished upload that becomes
     * this scene (a resumable one): its {@code promisedBytes}, counted toward the quota since it opened, are not
     * counted twice.
     */
    public Scene upload(UUID ownerId, List<UploadPart> parts, String idempotencyKey, ProcessingOptions options,
                        long promisedBytes) throws IOException {
        if (idempotencyKey != null && !idempotencyKey.matches("[\\x21-\\x7e]{1,200}")) {
            throw new IllegalArgumentException("Idempotency-Key must be 1..200 printable ASCII characters");
        }
        if (idempotencyKey != null) {
            Optional<Scene> earlier = byIdempotencyKey(ownerId, idempotencyKey);
            if (earlier.isPresent()) {
                return earlier.get();
            }
        }
        if (parts == null || parts.isEmpty()) {
            throw new UploadRejectedException(UploadRejectedException.Reason.EMPTY, ErrorCode.EMPTY_FILE, "no file in the upload");
        }
        if (parts.size() > MAX_FILES) {
            throw new UploadRejectedException(UploadRejectedException.Reason.BAD_PARTS, null,
                    "more than " + MAX_FILES + " files in one upload");
        }
        // At the scene limit or already over the quota: refused before a streamed part is read. Parts already on
        // disk (an API upload, spooled after its quota check) are only moved here, so the check that counts is
        // the one in record's transaction: one query less per upload, which sums all the owner's file sizes.
        if (parts.stream().anyMatch(p -> p.file() == null)) {
            checkQuota(ownerId, 0, promisedBytes);
        }
        Path tmp = Files.createTempDirectory(stagingDirectory(), "upload-");
        try {
            long[] budget = {config.maxUploadBytes(), config.maxUploadBytes()};
            List<Staged> files = new ArrayList<>();
            Set<String> names = new HashSet<>();
            for (int i = 0; i < parts.size(); i++) {
                UploadPart p = parts.get(i);
                String name = cleanName(p.filename(), "file" + i);
                if (!names.add(name)) {
                    throw new UploadRejectedException(UploadRejectedException.Reason.BAD_PARTS, null, "two files named " + name);
                }
                Path dir = tmp.resolve("p" + i);
                files.add(p.file() != null ? stage(dir, name, p.file(), budget) : stage(dir, name, p.content(), budget));
            }
            if (files.size() == 1 && isZip(files.get(0).path())) {
                files = unzip(files.get(0), tmp.resolve("zip"), config.maxUploadBytes(),
                        config.limits().uploadZipMaxRatio());
            }
            Main main = pickMain(files);
            Reprocessing.check(options, main.detected());
            Staged scene = files.get(main.index());
            Set<String> used = switch (main.detected().format()) {
                case GLTF -> requireResources(scene, files, config.limits().uploadGltfCheckMaxBytes());
                case LOD -> requireUnits(scene, files);
                case SOG -> {
                    requireImages(scene, files);
                    yield Set.of();
                }
                default -> Set.of();
            };
            refuseUnused(scene, main, files, used);
            List<Staged> ordered = new ArrayList<>(files);
            ordered.remove(main.index());
            ordered.add(0, files.get(main.index()));
            return store(ownerId, ordered, main.detected(), idempotencyKey, options, promisedBytes);
        } catch (MalformedInputException e) {
            throw new UploadRejectedException(UploadRejectedException.Reason.UNSUPPORTED_FORMAT, e.code(), e.getMessage());
        } finally {
            FileTrees.deleteTree(tmp);
        }
    }

    private Scene store(UUID ownerId, List<Staged> files, DetectedScene detected, String idempotencyKey,
                        ProcessingOptions options, long promisedBytes) {
        UUID id = UUID.randomUUID();
        List<String> keys = new ArrayList<>();
        List<StoredOriginal> originals = new ArrayList<>();
        try {
            for (int n = 0; n < files.size(); n++) {
                String key = originalKey(id, n);
                keys.add(key);
                String type = n == 0 ? contentType(detected.format()) : "application/octet-stream";
                store.putConsuming(key, files.get(n).path(), type);
                originals.add(new StoredOriginal(files.get(n).name(), key, files.get(n).size(), type));
            }
        } catch (IOException e) {
            deleteQuietly(keys);
            throw new ProcessingException("storage failed during upload: " + e.getMessage(), e);
        }
        return record(ownerId, id, originals, detected, idempotencyKey, null, options, promisedBytes, tx -> { });
    }

    /**
     * What one file that did not pass through the API is (a direct upload), checked as {@link #upload} checks a
     * one-file upload: a format vsa reads, and a {@code .gltf} that refers to no other file. A zip is refused: only
     * uploads through the API are unpacked. {@code file} is named like the upload (detection consults the name).
     *
     * @throws UploadRejectedException {@code UNSUPPORTED_FORMAT}, {@code BAD_ARCHIVE} or {@code BAD_PARTS}
     */
    static DetectedScene detectSingle(String name, Path file, long gltfCheckMaxBytes) throws IOException {
        DetectedScene d;
        try {
            d = Scenes.detect(file);
        } catch (MalformedInputException e) {
            if (isZip(file)) {
                throw badZip("a zip cannot be sent straight to storage; upload it through POST /upload/, which unpacks it");
            }
            throw new UploadRejectedException(UploadRejectedException.Reason.UNSUPPORTED_FORMAT, e.code(), e.getMessage());
        }
        Staged only = new Staged(name, file, Files.size(file));
        switch (d.format()) {
            case GLTF -> requireResources(only, List.of(only), gltfCheckMaxBytes);
            case LOD -> requireUnits(only, List.of(only));
            case SOG -> requireImages(only, List.of(only));
            default -> {
            }
        }
        return d;
    }

    /** An original already in the store under its id-based key, about to be recorded. */
    record StoredOriginal(String name, String key, long size, String contentType) {
    }

    /**
     * The one way a scene comes to exist, whichever way its bytes arrived (through the API, or straight into the
     * bucket): in one transaction, with the owner's row locked, the scene limit and quota checked with the real
     * sizes, the scene and its original files inserted, a {@code process} job queued and {@code alsoInTx} run. On
     * any failure the stored originals are deleted and nothing is recorded; only when the commit's outcome is
     * unknown are they kept (a row without its original would be worse than an unreferenced object).
     *
     * @param originals the main file first
     * @param sha256    the original's SHA-256 when already verified (the process job then checks it), else null
     */
    Scene record(UUID ownerId, UUID id, List<StoredOriginal> originals, DetectedScene detected, String idempotencyKey,
                 String sha256, JobContext.TxWork alsoInTx) {
        return record(ownerId, id, originals, detected, idempotencyKey, sha256, ProcessingOptions.DEFAULTS, 0, alsoInTx);
    }

    /**
     * As {@link #record(UUID, UUID, List, DetectedScene, String, String, JobContext.TxWork)}, processed with
     * {@code options}. The quota counts what the owner's unfinished uploads declared, less {@code promisedBytes}:
     * those of the upload that becomes this scene (counted since it opened).
     */
    Scene record(UUID ownerId, UUID id, List<StoredOriginal> originals, DetectedScene detected, String idempotencyKey,
                 String sha256, ProcessingOptions options, long promisedBytes, JobContext.TxWork alsoInTx) {
        List<String> keys = originals.stream().map(StoredOriginal::key).toList();
        long total = originals.stream().mapToLong(StoredOriginal::size).sum();
        StoredOriginal main = originals.get(0);
        String meta = Json.write(detectedMeta(detected));
        UUID jobId;
        Instant created;
        try {
            // Concurrent uploads of one owner take turns (inOwnerTransaction), so together they cannot pass the
            // scene limit or the quota that each alone would respect.
            Recorded r = inOwnerTransaction(ownerId, c -> {
                checkQuota(usage(c, ownerId), total, promisedBytes);
                Instant at;
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO scenes (id, owner_id, original_filename, "
                        + "format, size_bytes, status, metadata, idempotency_key, sha256, processing_options) "
                        + "VALUES (?, ?, ?, ?, ?, 'uploaded', ?::jsonb, ?, ?, ?::jsonb) RETURNING created_at")) {
                    ps.setObject(1, id);
                    ps.setObject(2, ownerId);
                    ps.setString(3, main.name());
                    ps.setString(4, detected.format().id());
                    ps.setLong(5, total);
                    ps.setString(6, meta);
                    ps.setString(7, idempotencyKey);
                    // Through the API no sha256 yet: the process job hashes the original as it reads it, off the
                    // upload's path. A direct upload's was verified before this; the job checks it again.
                    ps.setString(8, sha256);
                    ps.setString(9, Json.write(options.toJson()));
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        at = Rows.instant(rs, "created_at");
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO scene_files (scene_id, kind, name, storage_key, "
                        + "size_bytes, content_type) VALUES (?, 'original', ?, ?, ?, ?)")) {
                    for (StoredOriginal o : originals) {
                        ps.setObject(1, id);
                        ps.setString(2, "original/" + o.name());
                        ps.setString(3, o.key());
                        ps.setLong(4, o.size());
                        ps.setString(5, o.contentType());
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                UUID job = JobQueue.enqueueUnannounced(c, Processing.PROCESS, id, Reprocessing.payload(options, false),
                        config.maxAttempts());
                alsoInTx.run(c);
                return new Recorded(job, at);
            }, (c, rec) -> JobQueue.announce(c, rec.jobId(), true)); // after the durable commit, never part of it
            jobId = r.jobId();
            created = r.created();
        } catch (SQLException e) {
            if (!(e instanceof Database.CommitFailedException)) {
                deleteQuietly(keys);
            }
            // else the connection broke while committing: the scene may be recorded or not. Its objects are kept
            // (a row without its original would be worse than an unreferenced object); the client retries.
            if ("23503".equals(e.getSQLState())) {
                throw new IllegalArgumentException("no user " + ownerId);
            }
            if ("23505".equals(e.getSQLState()) && idempotencyKey != null) {
                // a concurrent attempt with the same key recorded its scene first: answer with that one
                return byIdempotencyKey(ownerId, idempotencyKey).orElseThrow(() -> ProcessingException.database(e));
            }
            throw ProcessingException.database(e);
        } catch (RuntimeException e) {
            deleteQuietly(keys);
            throw e;
        }
        // Answered from what was just written, not re-read: once committed, a database hiccup must not turn the
        // upload into an error the client would retry (a second scene).
        List<SceneFile> files = new ArrayList<>();
        for (StoredOriginal o : originals) {
            files.add(new SceneFile("original/" + o.name(), SceneFile.Kind.ORIGINAL, o.size(), o.contentType(), created));
        }
        return new Scene(id, ownerId, main.name(), detected.format().id(), total, sha256, SceneStatus.UPLOADED, meta, null,
                null, created, created, files, jobId, null, "", List.of(), options.toJson());
    }

    /** What recording a scene's rows answers: its process job and its creation time. */
    private record Recorded(UUID jobId, Instant created) {
    }

    private Optional<Scene> byIdempotencyKey(UUID ownerId, String key) {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT id FROM scenes WHERE owner_id = ? AND idempotency_key = ?")) {
            ps.setObject(1, ownerId);
            ps.setString(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? get(c, ownerId, Rows.uuid(rs, "id")) : Optional.empty();
            }
        } catch (SQLException e) {
            throw ProcessingException.database(e);
        }
    }

    /**
     * What an owner stores and has promised.
     *
     * @param scenes      their scenes
     * @param bytes       bytes of all their scenes' files (originals and outputs)
     * @param openUploads bytes their unfinished uploads have declared: resumable ones not yet a scene (expired ones
     *                    too until they are swept: their pieces are still stored, and a piece may still come) and
     *                    open direct ones
     */
    private record Usage(long scenes, long bytes, long openUploads) {
    }

    /** The owner's {@link Usage}, in one query (it runs under the owner's row lock on the upload path). */
    private static Usage usage(Connection c, UUID ownerId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT (SELECT count(*) FROM scenes WHERE owner_id = ?), "
                + "(SELECT coalesce(sum(f.size_bytes), 0) FROM scene_files f JOIN scenes s ON s.id = f.scene_id "
                + "WHERE s.owner_id = ?), "
                + "(SELECT coalesce(sum(length_bytes), 0) FROM tus_uploads WHERE owner_id = ? AND scene_id IS NULL) "
                + "+ (SELECT coalesce(sum(size_bytes), 0) FROM direct_uploads "
                + "WHERE owner_id = ? AND state IN ('open', 'completing') AND expires_at > clock_timestamp())")) {
            for (int i = 1; i <= 4; i++) {
                ps.setObject(i, ownerId);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Usage(rs.getLong(1), rs.getLong(2), rs.getLong(3));
            }
        }
    }

    /**
     * Refuses an upload before any of it is read when the owner already has as many scenes as allowed
     * ({@link Limits#userMaxScenes()}), or when {@code declaredBytes} (what the request says it carries; 0 if
     * unknown) does not fit in what is left of the owner's storage quota ({@link Limits#userMaxBytes()}) next to
     * what they store and what their unfinished uploads declared. The upload itself checks again with the real
     * sizes, in the transaction that records it.
     *
     * @throws UploadRejectedException with reason {@code SCENE_LIMIT} or {@code QUOTA}
     * @throws ProcessingException     if the database fails
     */
    public void checkQuota(UUID ownerId, long declaredBytes) {
        checkQuota(ownerId, declaredBytes, 0);
    }

    /** As {@link #checkQuota(UUID, long)}; {@code promisedBytes} of the unfinished uploads are this upload's. */
    private void checkQuota(UUID ownerId, long declaredBytes, long promisedBytes) {
        try (Connection c = db.connection()) {
            checkQuota(usage(c, ownerId), Math.max(0, declaredBytes), promisedBytes);
        } catch (SQLException e) {
            throw ProcessingException.database(e);
        }
    }

    /**
     * The quota check of an upload that opens now and sends its bytes later (resumable or direct), in
     * {@code tx} of {@link #inOwnerTransaction} for {@code ownerId}: its {@code declaredBytes} must fit next to what
     * the owner stores and what all their unfinished uploads of both kinds have declared, so stored and promised
     * bytes together never pass the quota (unfinished uploads hold disk or bucket space while they wait). Write the
     * new upload's row in the same transaction: openings of one owner take turns until it ends, so two cannot both
     * take the last room.
     *
     * @throws UploadRejectedException with reason {@code SCENE_LIMIT} or {@code QUOTA}
     * @throws IllegalStateException   if {@code tx} is not an owner transaction of {@code ownerId}
     */
    public void checkQuotaForOpening(Connection tx, UUID ownerId, long declaredBytes) throws SQLException {
        if (!ownerTurns.holds(tx, ownerId)) {
            throw new IllegalStateException("an opening's quota is checked in inOwnerTransaction of its owner");
        }
        checkQuota(usage(tx, ownerId), Math.max(0, declaredBytes), 0);
    }

    /**
     * Runs {@code work} in one transaction with {@code ownerId}'s row locked ({@link OwnerTurns}, which adding a
     * token or webhook and deleting the account go through too): how uploads take turns per owner where they check
     * the owner's limits (recording an upload, opening a resumable or direct upload; see
     * {@link #checkQuotaForOpening}). Several API processes take turns on the row lock; inside this one, the turn is
     * waited for first, without holding a pooled connection, so an owner's burst cannot take the pool from everyone
     * else's requests.
     *
     * @throws IllegalArgumentException if there is no such user
     * @throws ProcessingException      if the thread is interrupted while waiting for its turn
     * @throws SQLException             as {@link Database#inTransaction(Database.TxFunction)}
     */
    public <T> T inOwnerTransaction(UUID ownerId, Database.TxFunction<T> work) throws SQLException {
        return inOwnerTransaction(ownerId, work, null);
    }

    /** As {@link #inOwnerTransaction(UUID, Database.TxFunction)}, with a hook run once committed. */
    <T> T inOwnerTransaction(UUID ownerId, Database.TxFunction<T> work, Database.AfterCommit<? super T> afterCommit)
            throws SQLException {
        return ownerTurns.inTransaction(ownerId, work, afterCommit);
    }

    /** {@code promisedBytes} of the owner's unfinished uploads are this upload's own (not counted twice). */
    private void checkQuota(Usage usage, long adding, long promisedBytes) {
        Limits l = config.limits();
        long open = Math.max(0, usage.openUploads() - promisedBytes);
        if (usage.scenes() >= l.userMaxScenes()) {
            throw new UploadRejectedException(UploadRejectedException.Reason.SCENE_LIMIT, null, "you have " + usage.scenes()
                    + " scenes, the most one account may keep (" + Limits.USER_MAX_SCENES + " = " + l.userMaxScenes()
                    + "); delete one first");
        }
        if (usage.bytes() + open + adding > l.userMaxBytes()) {
            throw new UploadRejectedException(UploadRejectedException.Reason.QUOTA, null, "this upload (" + adding
                    + " bytes) does not fit in your storage quota: " + usage.bytes() + " of " + l.userMaxBytes()
                    + " bytes used (" + Limits.USER_MAX_BYTES + ")" + (open > 0 ? " and " + open
                    + " promised to your unfinished uploads (finish or delete them)" : ""));
        }
    }

    static String contentType(SceneFormat f) {
        return switch (f) {
            case GLB -> "model/gltf-binary";
            case GLTF -> "model/gltf+json";
            default -> "application/octet-stream";
        };
    }

    private void deleteQuietly(List<String> keys) {
        for (String k : keys) {
            try {
                store.delete(k);
            } catch (IOException ignored) {
                // best effort; a later delete of the scene prefix finds nothing to do
            }
        }
    }

    /**
     * The upload's main file (the scene; resources are the others) and what detection found in it.
     *
     * @param scenes the indexes of every file that detected as a scene, the main one's too
     */
    private record Main(int index, DetectedScene detected, List<Integer> scenes) {
    }

    /**
     * Refuses an upload holding scene files besides its main one that the main one does not use (a LOD set's units
     * and a .gltf's resources are used): kept, they would be stored as part of a scene nothing reads them for.
     * {@code used} (names in the upload) is null when the main file could not be read to say: its job reports that.
     */
    private static void refuseUnused(Staged main, Main picked, List<Staged> files, Set<String> used) {
        if (used == null) {
            return;
        }
        List<String> unused = new ArrayList<>();
        for (int i : picked.scenes()) {
            if (i != picked.index() && !used.contains(files.get(i).name())) {
                unused.add(files.get(i).name());
            }
        }
        if (!unused.isEmpty()) {
            throw new UploadRejectedException(UploadRejectedException.Reason.BAD_PARTS, null, "the upload holds "
                    + "scene files besides " + main.name() + " that it does not use (" + firstThree(unused)
                    + "); upload one scene at a time");
        }
    }

    /**
     * Refuses a LOD set's lod-meta.json whose units (the SOG files of its chunks, named relative to its folder) are
     * not in the upload: accepted, its job could only fail. The set is sent as a zip of its folder.
     *
     * @return the names of its units in the upload, or null if lod-meta.json is not a readable set
     */
    private static Set<String> requireUnits(Staged lodMeta, List<Staged> files) throws IOException {
        java.util.Map<String, Staged> have = new java.util.HashMap<>();
        for (Staged f : files) {
            have.put(f.name(), f);
        }
        Path base = Path.of(lodMeta.name()).getParent();
        LodSetInfo set;
        try {
            set = LodSets.describe(lodMeta.path());
        } catch (MalformedInputException bad) {
            return null; // the validator reports it
        }
        List<String> missing = new ArrayList<>();
        List<Staged> units = new ArrayList<>();
        for (LodSetInfo.File unit : set.files()) {
            Path target = (base == null ? Path.of(unit.path()) : base.resolve(unit.path())).normalize();
            Staged found = have.get(target.toString().replace('\\', '/'));
            if (found == null) {
                missing.add(unit.path());
            } else {
                units.add(found);
            }
        }
        if (!missing.isEmpty()) {
            throw new UploadRejectedException(UploadRejectedException.Reason.BAD_PARTS, null, lodMeta.name()
                    + " is a LOD set whose chunk files are not in the upload (" + firstThree(missing) + "): they must "
                    + "come with it; zip the set's folder and upload the zip");
        }
        Set<String> used = new HashSet<>();
        for (Staged unit : units) {
            requireImages(unit, files); // each unit is an unbundled SOG (or a .sog) of its own
            used.add(unit.name());
        }
        return used;
    }

    /** Up to three names, then how many more: a refusal stays one line however many are missing. */
    private static String firstThree(List<String> names) {
        return String.join(", ", names.subList(0, Math.min(3, names.size())))
                + (names.size() > 3 ? " and " + (names.size() - 3) + " more" : "");
    }

    /** The largest meta.json read at upload time to check its images (core's SOG reader reads no larger one). */
    private static final long MAX_CHECKED_SOG_META_BYTES = 1L << 20;

    /**
     * Refuses an unbundled SOG's meta.json whose images (its properties' {@code files}, plain names beside it) are
     * not in the upload: accepted, its job could only fail. A bundled {@code .sog} carries its images.
     */
    private static void requireImages(Staged meta, List<Staged> files) throws IOException {
        if (!meta.name().toLowerCase(java.util.Locale.ROOT).endsWith(".json") || meta.size() > MAX_CHECKED_SOG_META_BYTES) {
            return; // a .sog zip, or a meta.json the job's reader refuses with its own code
        }
        List<String> images;
        try {
            images = sogImages(meta.path());
        } catch (IOException notJson) {
            return; // the validator reports it with the SOG codes
        }
        Set<String> have = new HashSet<>();
        for (Staged f : files) {
            have.add(f.name());
        }
        Path base = Path.of(meta.name()).getParent();
        List<String> missing = new ArrayList<>();
        for (String image : images) {
            String name = (base == null ? Path.of(image) : base.resolve(image)).normalize().toString().replace('\\', '/');
            if (!have.contains(name) && !missing.contains(image)) {
                missing.add(image);
            }
        }
        if (!missing.isEmpty()) {
            throw new UploadRejectedException(UploadRejectedException.Reason.BAD_PARTS, null, meta.name()
                    + " is an unbundled SOG whose images are not in the upload (" + firstThree(missing) + "): they "
                    + "must come with it; zip its folder and upload the zip");
        }
    }

    /**
     * The image names an unbundled SOG's meta.json lists: the strings of each top-level property's {@code files}
     * array (versions 1 and 2 alike), read with a streaming parser; anything else is skipped.
     */
    private static List<String> sogImages(Path meta) throws IOException {
        List<String> out = new ArrayList<>();
        try (JsonParser p = Json.MAPPER.createParser(meta.toFile())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return out;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                if (p.nextToken() != JsonToken.START_OBJECT) {
                    p.skipChildren();
                    continue;
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    boolean isFiles = "files".equals(p.currentName());
                    JsonToken v = p.nextToken();
                    if (isFiles && v == JsonToken.START_ARRAY) {
                        for (JsonToken t; (t = p.nextToken()) != JsonToken.END_ARRAY && t != null; ) {
                            if (t == JsonToken.VALUE_STRING && !p.getText().isEmpty()) {
                                out.add(p.getText());
                            } else {
                                p.skipChildren();
                            }
                        }
                    } else {
                        p.skipChildren();
                    }
                }
            }
        }
        return out;
    }

    /**
     * Refuses a .gltf whose external buffers or images are not among the uploaded files, naming them: without this
     * the upload is accepted and the scene fails later in processing. URIs are resolved against the .gltf's own
     * folder in the upload (a zip may hold folders); data: and absolute URIs are the validator's business. A .gltf
     * larger than {@code maxBytes} ({@link Limits#uploadGltfCheckMaxBytes()}) is left to its job.
     *
     * @return the names in the upload it refers to, or null if it was not read (too large, or not JSON)
     */
    private static Set<String> requireResources(Staged gltf, List<Staged> files, long maxBytes) throws IOException {
        if (gltf.size() > maxBytes) {
            return null;
        }
        List<String> uris;
        try {
            uris = resourceUris(gltf.path());
        } catch (IOException notJson) {
            return null; // the validator reports it with the glTF codes
        }
        Set<String> used = new HashSet<>();
        Set<String> have = new HashSet<>();
        for (Staged f : files) {
            have.add(f.name());
        }
        Path base = Path.of(gltf.name()).getParent();
        List<String> missing = new ArrayList<>();
        for (String uri : uris) {
            if (uri.isEmpty() || uri.startsWith("data:") || uri.matches("^[A-Za-z][A-Za-z0-9+.-]*:.*")) {
                continue;
            }
            String decoded;
            try {
                decoded = java.net.URLDecoder.decode(uri.replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException badEscape) {
                decoded = uri;
            }
            Path target = (base == null ? Path.of(decoded) : base.resolve(decoded)).normalize();
            String name = target.toString().replace('\\', '/');
            used.add(name);
            if (!have.contains(name) && !missing.contains(decoded)) {
                missing.add(decoded);
            }
        }
        if (!missing.isEmpty()) {
            throw new UploadRejectedException(UploadRejectedException.Reason.BAD_PARTS, null, gltf.name()
                    + " refers to files not in the upload: " + String.join(", ", missing) + " (send each as another "
                    + "'file' part, or zip them with the .gltf)");
        }
        return used;
    }

    /**
     * The {@code uri} of each of a .gltf's top-level {@code buffers} and {@code images}, in document order, read
     * with a streaming parser: every other value (accessors, nodes, extensions) is skipped unread, so a check costs
     * the longest URI kept (a data: URI can be as large as the file), not a tree of the whole document.
     *
     * @throws IOException if it is not JSON
     */
    private static List<String> resourceUris(Path gltf) throws IOException {
        List<String> out = new ArrayList<>();
        try (JsonParser p = Json.MAPPER.createParser(gltf.toFile())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return out;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                if (p.nextToken() != JsonToken.START_ARRAY || !(field.equals("buffers") || field.equals("images"))) {
                    p.skipChildren();
                    continue;
                }
                for (JsonToken item; (item = p.nextToken()) != JsonToken.END_ARRAY; ) {
                    if (item != JsonToken.START_OBJECT) {
                        p.skipChildren();
                        continue;
                    }
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        boolean isUri = "uri".equals(p.currentName());
                        if (p.nextToken() == JsonToken.VALUE_STRING && isUri) {
                            String uri = p.getText();
                            if (!uri.startsWith("data:")) { // embedded: nothing to find, let it go at once
                                out.add(uri);
                            }
                        } else {
                            p.skipChildren();
                        }
                    }
                }
            }
        }
        return out;
    }

    private static Main pickMain(List<Staged> files) throws IOException {
        List<Main> scenes = new ArrayList<>();
        List<Main> gltf = new ArrayList<>();
        MalformedInputException first = null;
        for (int i = 0; i < files.size(); i++) {
            try {
                Main m = new Main(i, Scenes.detect(files.get(i).path()), List.of());
                scenes.add(m);
                if (m.detected().format() == SceneFormat.GLTF) {
                    gltf.add(m);
                }
            } catch (MalformedInputException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (scenes.isEmpty()) {
            throw first;
        }
        // a LOD set's units are SOG files that detect as scenes of their own: its lod-meta.json is the scene
        List<Main> lod = scenes.stream().filter(m -> m.detected().format() == SceneFormat.LOD).toList();
        Main chosen = scenes.size() == 1 ? scenes.get(0) : gltf.size() == 1 ? gltf.get(0) : lod.size() == 1 ? lod.get(0) : null;
        if (chosen != null) {
            return new Main(chosen.index(), chosen.detected(), scenes.stream().map(Main::index).toList());
        }
        throw new UploadRejectedException(UploadRejectedException.Reason.BAD_PARTS, null,
                scenes.size() + " scene files in one upload (" + String.join(", ", scenes.stream().map(m -> files.get(m.index()).name()).toList())
                        + "); upload one scene at a time");
    }

    private static Staged stage(Path dir, String name, InputStream in, long[] budget) throws IOException {
        Path target = dir.resolve(name);
        Files.createDirectories(target.getParent());
        long n = 0;
        try (OutputStream out = Files.newOutputStream(target)) {
            byte[] buf = new byte[STAGE_BUFFER];
            for (int r; (r = in.read(buf)) >= 0; ) {
                n += r;
                if (n > budget[0]) {
                    throw tooLarge(budget[1]);
                }
                out.write(buf, 0, r);
            }
        }
        return staged(name, target, n, budget);
    }

    /** Takes over a file the caller already has on disk: a rename when it lies on the same file system. */
    private static Staged stage(Path dir, String name, Path file, long[] budget) throws IOException {
        long n = Files.size(file);
        if (n > budget[0]) {
            throw tooLarge(budget[1]);
        }
        Path target = dir.resolve(name);
        Files.createDirectories(target.getParent());
        Files.move(file, target);
        return staged(name, target, n, budget);
    }

    private static Staged staged(String name, Path target, long n, long[] budget) {
        budget[0] -= n;
        if (n == 0) {
            throw new UploadRejectedException(UploadRejectedException.Reason.EMPTY, ErrorCode.EMPTY_FILE, name + " is empty");
        }
        return new Staged(name, target, n);
    }

    private static UploadRejectedException tooLarge(long limit) {
        return new UploadRejectedException(UploadRejectedException.Reason.TOO_LARGE, ErrorCode.LIMIT_EXCEEDED,
                "the upload is larger than this server's limit of " + limit + " bytes");
    }

    private static boolean isZip(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            byte[] h = in.readNBytes(4);
            return h.length == 4 && h[0] == 'P' && h[1] == 'K' && h[2] == 3 && h[3] == 4;
        }
    }

    /**
     * Unpacks a zip safely: entry names cleaned (no absolute paths, no {@code ..}: no zip-slip), at most
     * {@link #MAX_FILES} entries, at most {@code limit} bytes and {@code maxRatio} times the zip's own size unpacked
     * in all (counted as bytes come out, so a zip bomb stops at the first limit it reaches), directories and
     * hidden/metadata entries skipped.
     */
    private static List<Staged> unzip(Staged zip, Path dir, long limit, int maxRatio) throws IOException {
        List<Staged> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        long[] budget = {limit, limit};
        long zipSize = Files.size(zip.path());
        long byRatio = zipSize > Long.MAX_VALUE / maxRatio ? Long.MAX_VALUE : zipSize * maxRatio;
        // Entries are found through the central directory (ZipFile), not by streaming the local headers: streaming
        // cannot read a stored entry whose sizes follow its data (splat-transform's .sog bundles are written so).
        checkDirectory(zip.path(), zipSize);
        try (ZipFile z = new ZipFile(zip.path().toFile(), StandardCharsets.UTF_8)) {
            if (z.size() > MAX_FILES) {
                throw badZip("more than " + MAX_FILES + " entries");
            }
            RatioGuard counted = new RatioGuard(byRatio, () -> new UploadRejectedException(
                    UploadRejectedException.Reason.TOO_LARGE, ErrorCode.LIMIT_EXCEEDED, "the zip unpacks to more than "
                    + maxRatio + " times its " + zipSize + " bytes (" + Limits.UPLOAD_ZIP_MAX_RATIO + ")"));
            for (Enumeration<? extends ZipEntry> all = z.entries(); all.hasMoreElements(); ) {
                ZipEntry e = all.nextElement();
                if (e.isDirectory()) {
                    continue;
                }
                String raw = e.getName().replace('\\', '/');
                if (raw.startsWith("__MACOSX/") || raw.contains("/.") || raw.startsWith(".")) {
                    continue;
                }
                String name;
                try {
                    name = cleanName(raw, null);
                } catch (UploadRejectedException bad) {
                    throw badZip("unsafe entry name '" + raw + "'");
                }
                if (!names.add(name)) {
                    throw badZip("two entries named " + name);
                }
                try (InputStream in = counted.over(z.getInputStream(e))) {
                    out.add(stage(dir.resolve("e" + out.size()), name, in, budget));
                }
            }
        } catch (ZipException | EOFException e) { // EOF: an entry's data past the end of the file
            throw badZip(e.getMessage());
        } catch (UploadRejectedException e) {
            if (e.reason() == UploadRejectedException.Reason.EMPTY) {
                throw badZip(e.getMessage());
            }
            throw e;
        }
        if (out.isEmpty()) {
            throw badZip("no files in " + zip.name());
        }
        return out;
    }

    /** Largest central directory accepted: {@link #MAX_FILES} entries with long names and extra fields. */
    static final long MAX_ZIP_DIRECTORY_BYTES = 4L << 20;

    /**
     * Checks the entry count and the size of a zip's central directory as its end record declares them (ZIP64's
     * too), before {@link ZipFile} reads the whole directory into memory: an upload could otherwise declare a
     * directory as large as itself.
     */
    static void checkDirectory(Path zip, long size) throws IOException {
        int tail = (int) Math.min(size, 22 + 0xFFFF);
        ByteBuffer b = ByteBuffer.allocate(tail).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel ch = FileChannel.open(zip)) {
            while (b.hasRemaining() && ch.read(b, size - tail + b.position()) >= 0) {
                // a file channel may fill the buffer in more than one read
            }
            int end = -1;
            for (int i = tail - 22; i >= 0; i--) {
                if (b.getInt(i) == 0x06054b50) {
                    end = i;
                    break;
                }
            }
            if (end < 0) {
                throw badZip("no end of central directory record");
            }
            long entries = Short.toUnsignedLong(b.getShort(end + 10));
            long directory = Integer.toUnsignedLong(b.getInt(end + 12));
            if ((entries == 0xFFFF || directory == 0xFFFFFFFFL) && end >= 20 && b.getInt(end - 20) == 0x07064b50) {
                long at = b.getLong(end - 20 + 8);
                ByteBuffer z64 = ByteBuffer.allocate(56).order(ByteOrder.LITTLE_ENDIAN);
                while (at >= 0 && at <= size - 56 && z64.hasRemaining() && ch.read(z64, at + z64.position()) >= 0) {
                    // as above
                }
                if (z64.hasRemaining() || z64.getInt(0) != 0x06064b50) {
                    throw badZip("bad ZIP64 end of central directory record");
                }
                entries = z64.getLong(32);
                directory = z64.getLong(40);
            }
            if (entries > MAX_FILES || entries < 0) {
                throw badZip("more than " + MAX_FILES + " entries");
            }
            if (directory > MAX_ZIP_DIRECTORY_BYTES || directory < 0) {
                throw badZip("a central directory of " + directory + " bytes, more than the "
                        + MAX_ZIP_DIRECTORY_BYTES + " accepted");
            }
        }
    }

    /**
     * Counts the bytes a zip gives out, all entries together (each read through {@link #over}), and throws past
     * {@code max}. Closing closes the current entry's stream.
     */
    private static final class RatioGuard extends java.io.FilterInputStream {
        private final long max;
        private final java.util.function.Supplier<UploadRejectedException> refusal;
        private long given;

        RatioGuard(long max, java.util.function.Supplier<UploadRejectedException> refusal) {
            super(InputStream.nullInputStream());
            this.max = max;
            this.refusal = refusal;
        }

        /** This guard, now reading {@code entry}. */
        RatioGuard over(InputStream entry) {
            in = entry;
            return this;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0 && ++given > max) {
                throw refusal.get();
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0 && (given += n) > max) {
                throw refusal.get();
            }
            return n;
        }
    }

    private static UploadRejectedException badZip(String why) {
        return new UploadRejectedException(UploadRejectedException.Reason.BAD_ARCHIVE, null, "bad zip: " + why);
    }

    /**
     * A client file name made safe to use as a relative path: separators normalised, no empty, {@code .} or
     * {@code ..} segment, no absolute path, no control characters, bounded length. Names are only shown and
     * used to lay out files in scratch directories; storage keys never contain them.
     *
     * @param fallback used when the name is blank; null to reject blank names
     */
    /** Longest name of one path segment (a file or folder name), in UTF-8 bytes: what file systems store. */
    static final int MAX_NAME_BYTES = 255;

    static String cleanName(String name, String fallback) {
        String n = name == null ? "" : name.replace('\\', '/').strip();
        if (n.isEmpty()) {
            if (fallback == null) {
                throw new UploadRejectedException(UploadRejectedException.Reason.BAD_PARTS, null, "a file has no name");
            }
            return fallback;
        }
        if (n.startsWith("/") || n.length() > 1024 || n.matches("^[A-Za-z]:.*")) {
            throw new UploadRejectedException(UploadRejectedException.Reason.BAD_PARTS, null, "unsafe file name '" + n + "'");
        }
        StringBuilder b = new StringBuilder();
        for (String seg : n.split("/")) {
            if (seg.isEmpty() || seg.equals(".")) {
                continue;
            }
            if (seg.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
                throw new UploadRejectedException(UploadRejectedException.Reason.BAD_PARTS, null, "file name '"
                        + n.substring(0, Math.min(n.length(), 64)) + "...' has a part longer than " + MAX_NAME_BYTES
                        + " UTF-8 bytes (the limit of file systems)");
            }
            if (seg.equals("..") || seg.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f)) {
                throw new UploadRejectedException(UploadRejectedException.Reason.BAD_PARTS, null, "unsafe file name '" + n + "'");
            }
            if (b.length() > 0) {
                b.append('/');
            }
            b.append(seg);
        }
        if (b.length() == 0) {
            throw new UploadRejectedException(UploadRejectedException.Reason.BAD_PARTS, null, "unsafe file name '" + n + "'");
        }
        return b.toString();
    }

    /**
     * The owner's scenes, newest first.
     *
     * @param limit  1..{@link #MAX_PAGE}
     * @param cursor null for the first page, else a previous page's {@link ScenePage#nextCursor()}
     * @throws IllegalArgumentException if {@code limit} is out of range or the cursor is not one of ours
     */
    public ScenePage list(UUID ownerId, int limit, String cursor) {
        return list(ownerId, limit, cursor, SceneFilter.NONE);
    }

    /**
     * As {@link #list(UUID, int, String)}, only the scenes that pass {@code filter}. A cursor belongs to the
     * filter it was made with.
     *
     * @throws IllegalArgumentException for a bad limit or cursor
     */
    public ScenePage list(UUID ownerId, int limit, String cursor, SceneFilter filter) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new IllegalArgumentException("limit must be 1.." + MAX_PAGE + ", was " + limit);
        }
        OffsetDateTime afterTime = null;
        UUID afterId = null;
        if (cursor != null && !cursor.isEmpty()) {
            try {
                String[] p = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|");
                afterTime = OffsetDateTime.parse(p[0]);
                afterId = UUID.fromString(p[1]);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("bad cursor '" + cursor + "'");
            }
        }
        String sql = "SELECT " + SCENE_COLUMNS + " FROM scenes s WHERE s.owner_id = ? "
                + (filter.status() == null ? "" : "AND s.status = ? ")
                + (filter.format() == null ? "" : "AND s.format = ? ")
                + (filter.tag() == null ? "" : "AND s.tags @> ARRAY[?]::text[] ")
                + (filter.search() == null ? "" : "AND coalesce(s.name, s.original_filename) ILIKE ? ESCAPE '\\' ")
                + (afterTime == null ? "" : "AND (s.created_at, s.id) < (?, ?) ")
                + "ORDER BY s.created_at DESC, s.id DESC LIMIT ?";
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setObject(i++, ownerId);
            if (filter.status() != null) {
                ps.setString(i++, filter.status().id());
            }
            if (filter.format() != null) {
                ps.setString(i++, filter.format());
            }
            if (filter.tag() != null) {
                ps.setString(i++, filter.tag());
            }
            if (filter.search() != null) {
                ps.setString(i++, "%" + filter.search().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
            }
            if (afterTime != null) {
                ps.setObject(i++, afterTime);
                ps.setObject(i++, afterId);
            }
            ps.setInt(i, limit + 1);
            List<SceneRow> all = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    all.add(SceneRow.read(rs));
                }
            }
            String next = null;
            if (all.size() > limit) {
                all = all.subList(0, limit);
                SceneRow last = all.get(limit - 1);
                next = Base64.getUrlEncoder().withoutPadding().encodeToString(
                        (last.createdRaw() + "|" + last.id).getBytes(StandardCharsets.UTF_8));
            }
            List<Scene> items = all.stream().map(SceneRow::toScene).toList();
            return new ScenePage(items, next);
        } catch (SQLException e) {
            throw ProcessingException.database(e);
        }
    }

    /**
     * Changes the scene's name, description or tags (the components of {@code details} that are not null).
     *
     * @return the scene afterwards; empty if the owner has no such scene
     */
    public Optional<Scene> update(UUID ownerId, UUID sceneId, SceneDetails details) {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("UPDATE scenes SET "
                     + "name = CASE WHEN ?::text IS NULL THEN name ELSE nullif(?::text, '') END, "
                     + "description = coalesce(?::text, description), tags = coalesce(?::text[], tags), "
                     + "updated_at = clock_timestamp() WHERE id = ? AND owner_id = ?")) {
            ps.setString(1, details.name());
            ps.setString(2, details.name());
            ps.setString(3, details.description());
            ps.setArray(4, details.tags() == null ? null : c.createArrayOf("text", details.tags().toArray()));
            ps.setObject(5, sceneId);
            ps.setObject(6, ownerId);
            if (ps.executeUpdate() != 1) {
                return Optional.empty();
            }
            return get(c, ownerId, sceneId);
        } catch (SQLException e) {
            throw ProcessingException.database(e);
        }
    }

    /**
     * The owner's scene, or empty if there is none with this id for this owner. The row is made a {@link Scene}
     * after its connection went back to the pool: under load a read's thread may wait for a CPU between the two,
     * and a connection held meanwhile is one the next request waits for.
     */
    public Optional<Scene> get(UUID ownerId, UUID sceneId) {
        Optional<SceneRow> row;
        try (Connection c = db.connection()) {
            row = row(c, ownerId, sceneId);
        } catch (SQLException e) {
            throw ProcessingException.database(e);
        }
        return row.map(SceneRow::toScene);
    }

    static Optional<Scene> get(Connection c, UUID ownerId, UUID sceneId) throws SQLException {
        return row(c, ownerId, sceneId).map(SceneRow::toScene);
    }

    private static Optional<SceneRow> row(Connection c, UUID ownerId, UUID sceneId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + SCENE_COLUMNS + " FROM scenes s "
                + "WHERE s.id = ? AND s.owner_id = ?")) {
            ps.setObject(1, sceneId);
            ps.setObject(2, ownerId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(SceneRow.read(rs)) : Optional.empty();
            }
        }
    }

    /**
     * What {@link SceneRow#read} reads of a scene {@code s}: its row, its latest job, and its files as a JSON array
     * of [name, kind, size, content type, created (microseconds since the epoch: exact, where parsing a timestamp's
     * text cost a tenth of a scene read's CPU)] in {@link Scene#files()}' order. The files come in the same
     * answer: one round trip for a scene read, the most frequent request, instead of two; each costs a wake-up of
     * a backend and of a request thread.
     */
    private static final String SCENE_COLUMNS = "s.*, (SELECT j.id FROM jobs j WHERE j.scene_id = s.id "
            + "ORDER BY j.created_at DESC LIMIT 1) AS latest_job, (SELECT json_agg(json_build_array(f.name, f.kind, "
            + "f.size_bytes, f.content_type, (extract(epoch FROM f.created_at) * 1000000)::int8) "
            + "ORDER BY f.kind, f.name) FROM scene_files f WHERE f.scene_id = s.id)::text AS files_json";

    /**
     * The files of {@link #SCENE_COLUMNS}' JSON array, read with a streaming parser: building a tree of it cost
     * a fifth of a scene read's CPU in processing. Any other shape (an element that is not a five-item array, a
     * content type that is neither text nor null, an unknown kind, anything after the array) is a fault of the
     * query or the schema, not data to guess around: it throws, and the request fails loudly.
     *
     * @throws IllegalStateException naming what was found instead
     */
    static List<SceneFile> filesOf(String json) {
        List<SceneFile> out = new ArrayList<>();
        if (json == null) {
            return out;
        }
        try (JsonParser p = Json.MAPPER.createParser(json)) {
            expect(p.nextToken(), JsonToken.START_ARRAY);
            for (JsonToken file; (file = p.nextToken()) != JsonToken.END_ARRAY; ) {
                expect(file, JsonToken.START_ARRAY);
                expect(p.nextToken(), JsonToken.VALUE_STRING);
                String name = p.getText();
                expect(p.nextToken(), JsonToken.VALUE_STRING);
                SceneFile.Kind kind = SceneFile.Kind.of(p.getText());
                expect(p.nextToken(), JsonToken.VALUE_NUMBER_INT);
                long size = p.getLongValue();
                JsonToken t = p.nextToken();
                if (t != JsonToken.VALUE_NULL) {
                    expect(t, JsonToken.VALUE_STRING);
                }
                String type = t == JsonToken.VALUE_NULL ? null : p.getText();
                expect(p.nextToken(), JsonToken.VALUE_NUMBER_INT);
                Instant created = Rows.instantOfMicros(p.getLongValue());
                expect(p.nextToken(), JsonToken.END_ARRAY);
                out.add(new SceneFile(name, kind, size, type, created));
            }
            expect(p.nextToken(), null);
        } catch (IOException | IllegalArgumentException e) { // IllegalArgumentException: SceneFile.Kind.of
            throw new IllegalStateException("the database returned a scene's files in a shape vsa does not read ("
                    + e.getMessage() + "): " + (json.length() > 200 ? json.substring(0, 200) + "..." : json), e);
        }
        return out;
    }

    private static void expect(JsonToken got, JsonToken want) throws IOException {
        if (got != want) {
            throw new IOException((want == null ? "the end" : want) + " expected, " + got + " found");
        }
    }

    /** Stored options text to {@link #normalizeOptions}' answer: a few distinct texts serve every scene. */
    private static final java.util.concurrent.ConcurrentHashMap<String, com.fasterxml.jackson.databind.JsonNode>
            NORMALIZED_OPTIONS = new java.util.concurrent.ConcurrentHashMap<>();
    /** Bounds {@link #NORMALIZED_OPTIONS} (emptied when full): options are chosen per upload, so texts vary. */
    static final int OPTIONS_CACHE_MAX = 256;

    /**
     * The stored options in their own field order (jsonb keeps its own), as stored if they no longer parse.
     * Remembered per stored text: parsing and normalizing them cost another fifth of a scene read. The node
     * answered is shared between scenes: it is only ever written out, never changed (see
     * {@link Scene#processingOptions()}).
     */
    static com.fasterxml.jackson.databind.JsonNode options(String stored) {
        if (stored == null) {
            return null;
        }
        com.fasterxml.jackson.databind.JsonNode hit = NORMALIZED_OPTIONS.get(stored);
        if (hit != null) {
            return hit;
        }
        com.fasterxml.jackson.databind.JsonNode n = normalizeOptions(stored);
        if (NORMALIZED_OPTIONS.size() >= OPTIONS_CACHE_MAX) {
            NORMALIZED_OPTIONS.clear();
        }
        NORMALIZED_OPTIONS.put(stored, n);
        return n;
    }

    /** How many stored texts {@link #options} remembers now. */
    static int optionsCached() {
        return NORMALIZED_OPTIONS.size();
    }

    private static com.fasterxml.jackson.databind.JsonNode normalizeOptions(String stored) {
        com.fasterxml.jackson.databind.JsonNode n = Json.parse(stored);
        try {
            return ProcessingOptions.fromJson(n).toJson();
        } catch (InvalidRequestException e) {
            return n;
        }
    }

    /** A scene as read with {@link #SCENE_COLUMNS}. */
    private record SceneRow(UUID id, UUID owner, String filename, String format, long size, String sha256,
                            String status, String metadata, String validation, String error, Instant created,
                            OffsetDateTime createdAt, Instant updated, UUID latestJob, String name, String description,
                            List<String> tags, String processingOptions, String filesJson) {
        static SceneRow read(ResultSet rs) throws SQLException {
            OffsetDateTime created = rs.getObject("created_at", OffsetDateTime.class);
            return new SceneRow(Rows.uuid(rs, "id"), Rows.uuid(rs, "owner_id"), rs.getString("original_filename"),
                    rs.getString("format"), rs.getLong("size_bytes"), rs.getString("sha256"), rs.getString("status"),
                    rs.getString("metadata"), rs.getString("validation"), rs.getString("error"), created.toInstant(),
                    created, Rows.instant(rs, "updated_at"),
                    Rows.uuid(rs, "latest_job"), rs.getString("name"), rs.getString("description"),
                    List.of((String[]) rs.getArray("tags").getArray()), rs.getString("processing_options"),
                    rs.getString("files_json"));
        }

        /** The list cursor's creation time: PostgreSQL's microseconds, exactly. */
        String createdRaw() {
            return createdAt.withOffsetSameInstant(ZoneOffset.UTC).toString();
        }

        Scene toScene() {
            return new Scene(id, owner, filename, format, size, sha256, SceneStatus.of(status), Json.compact(metadata),
                    Json.compact(validation), error, created, updated, filesOf(filesJson), latestJob, name, description, tags,
                    options(processingOptions));
        }
    }

    /**
     * Deletes the owner's scene: its jobs are cancelled, its rows and every stored object removed.
     *
     * @return false if the owner has no such scene
     */
    public boolean delete(UUID ownerId, UUID sceneId) {
        try {
            return db.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM scenes WHERE id = ? AND owner_id = ? "
                        + "RETURNING original_filename, format")) {
                    ps.setObject(1, sceneId);
                    ps.setObject(2, ownerId);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            return false;
                        }
                        ObjectNode data = Json.object()
                                .put("scene_id", sceneId.toString())
                                .put("status", "deleted")
                                .put("name", rs.getString("original_filename"))
                                .put("format", rs.getString("format"));
                        WebhookService.emit(c, ownerId, WebhookService.SCENE_DELETED, data, config.webhooksMaxAttempts());
                    }
                }
                // The objects go through the queue: a purge job committed with the rows' deletion, retried until
                // the store answers, so a store that is down right now cannot leave them orphaned (nor fail the
                // request). A worker still on the scene fails its fenced final write (its job row is gone) and removes
                // what it uploaded.
                enqueuePurge(c, sceneId);
                return true;
            });
        } catch (SQLException e) {
            throw ProcessingException.database(e);
        }
    }

    /** Most attempts of a purge job: with the queue's backoff (capped at 5 minutes) they span hours. */
    static final int PURGE_MAX_ATTEMPTS = 100;

    /** Queues the deletion of a scene's objects in the caller's transaction (the one deleting its rows). */
    static void enqueuePurge(Connection tx, UUID sceneId) throws SQLException {
        enqueuePurge(tx, "scenes/" + sceneId + "/");
    }

    /**
     * Queues the deletion of every object under {@code prefix} (a scene's, or an unfinished resumable upload's; see
     * {@link PurgeJobHandler}) in the caller's transaction.
     */
    static void enqueuePurge(Connection tx, String prefix) throws SQLException {
        // No scene_id on the job: the scene row is going, and its jobs with it (ON DELETE CASCADE).
        JobQueue.enqueue(tx, Processing.PURGE, null, Json.object().put("prefix", prefix), PURGE_MAX_ATTEMPTS);
    }

    /** In {@code tx} (account deletion): deletes every scene of an owner and queues the purge of their objects. */
    static void deleteAllOf(Connection tx, UUID ownerId) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement("DELETE FROM scenes WHERE owner_id = ? RETURNING id")) {
            ps.setObject(1, ownerId);
            List<UUID> ids = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(Rows.uuid(rs, "id"));
                }
            }
            for (UUID id : ids) {
                enqueuePurge(tx, id);
            }
        }
    }

    /**
     * Opens a file of the owner's scene for download: a presigned URL when the store serves them (S3), else a
     * stream of the requested range (local store).
     *
     * @param name  the file's name as listed in {@link Scene#files()}
     * @param range the bytes wanted ({@link ByteRange#ALL} for all); ignored for redirects (the URL serves ranges)
     * @return empty if the owner has no such scene or the scene no such file
     */
    public Optional<FileDownload> openFile(UUID ownerId, UUID sceneId, String name, ByteRange range) {
        return openFile(ownerId, sceneId, name, range, true);
    }

    /**
     * As {@link #openFile(UUID, UUID, String, ByteRange)}; with {@code allowRedirect} false always a stream (for a
     * web page's script, which may not read another origin such as the bucket's).
     */
    public Optional<FileDownload> openFile(UUID ownerId, UUID sceneId, String name, ByteRange range,
                                           boolean allowRedirect) {
        String key;
        SceneFile file;
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT f.name, f.kind, f.size_bytes, f.content_type, f.created_at, "
                     + "f.storage_key FROM scene_files f JOIN scenes s ON s.id = f.scene_id "
                     + "WHERE f.scene_id = ? AND s.owner_id = ? AND f.name = ?")) {
            ps.setObject(1, sceneId);
            ps.setObject(2, ownerId);
            ps.setString(3, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                file = new SceneFile(rs.getString("name"), SceneFile.Kind.of(rs.getString("kind")),
                        rs.getLong("size_bytes"), rs.getString("content_type"), Rows.instant(rs, "created_at"));
                key = rs.getString("storage_key");
            }
        } catch (SQLException e) {
            throw ProcessingException.database(e);
        }
        try {
            String download = name.substring(name.lastIndexOf('/') + 1);
            Optional<java.net.URI> url = allowRedirect
                    ? store.presignGet(key, config.storage().presignTtl(), download) : Optional.empty();
            if (url.isPresent()) {
                return Optional.of(new FileDownload.Redirect(file, url.get()));
            }
            ByteRange r = range == null ? ByteRange.ALL : range;
            long offset = Math.min(r.offset(), file.size());
            long length = r.length() < 0 ? file.size() - offset : Math.min(r.length(), file.size() - offset);
            InputStream in = store.get(key, offset, length);
            return Optional.of(new FileDownload.Stream(file, in, offset, length, file.size()));
        } catch (IOException e) {
            throw new ProcessingException("storage failed opening " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Queues a new process job for the owner's processed scene with {@code options} (see {@link Reprocessing}):
     * the original is kept, the outputs are replaced when the job succeeds, its end fires the webhooks a first
     * processing fires.
     *
     * @return the queued job, or empty if the owner has no such scene
     * @throws IllegalStateException   if the scene is still being processed or another job on it is pending
     * @throws InvalidRequestException if the options do not fit the scene
     */
    public Optional<Job> reprocess(UUID ownerId, UUID sceneId, ProcessingOptions options) {
        try {
            return db.inTransaction(c -> Reprocessing.request(c, ownerId, sceneId, options, config.maxAttempts()));
        } catch (SQLException e) {
            throw ProcessingException.database(e);
        }
    }

    /**
     * Queues a conversion of the owner's scene; its output appears as a file named
     * {@link ConversionTarget#outputName()} (replacing an earlier one).
     *
     * @return the queued job, or empty if the owner has no such scene
     * @throws IllegalStateException if the scene is not {@code READY}
     */
    public Optional<Job> requestConversion(UUID ownerId, UUID sceneId, ConversionTarget target) {
        try {
            return db.inTransaction(c -> {
                String status;
                try (PreparedStatement ps = c.prepareStatement("SELECT status FROM scenes WHERE id = ? AND owner_id = ? FOR SHARE")) {
                    ps.setObject(1, sceneId);
                    ps.setObject(2, ownerId);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            return Optional.empty();
                        }
                        status = rs.getString(1);
                    }
                }
                if (!status.equals("ready")) {
                    throw new IllegalStateException("scene " + sceneId + " is " + status + "; only a ready scene can be converted");
                }
                ObjectNode payload = Json.object();
                payload.put("to", target.id());
                UUID jobId = JobQueue.enqueue(c, Processing.CONVERT, sceneId, payload, config.maxAttempts());
                return JobService.load(c, jobId);
            });
        } catch (SQLException e) {
            throw ProcessingException.database(e);
        }
    }

    /** A scene's metadata as detection gives it (kind, format, version, variant, splats or not): the part an upload
     *  records and the process job starts its own from. */
    static ObjectNode detectedMeta(DetectedScene detected) {
        ObjectNode meta = Json.object();
        meta.put("kind", detected.kind().name().toLowerCase(java.util.Locale.ROOT));
        meta.put("format", detected.format().id());
        if (detected.version() != null) {
            meta.put("formatVersion", detected.version());
        }
        if (!detected.variant().isEmpty()) {
            meta.put("variant", detected.variant());
        }
        meta.put("gaussianSplatting", detected.gaussianSplatting());
        return meta;
    }
}
