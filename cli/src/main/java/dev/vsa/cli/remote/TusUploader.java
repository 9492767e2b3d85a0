package dev.vsa.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * Sends one file over the server's tus 1.0 resumable-upload routes ({@code /uploads/tus}): creates the upload, sends
 * the rest of the file in one {@code PATCH}, and when the connection drops asks the server how far it got
 * ({@code HEAD}) and goes on from there, with a growing pause between tries. The upload's URL and its
 * {@code Idempotency-Key} are remembered in a {@link ResumeStore} until the scene exists, so a later run with
 * {@code resume} goes on where a stopped CLI left off.
 */
public final class TusUploader {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    static final String PATH = "/uploads/tus";
    private static final String VERSION = "1.0.0";

    private final ApiClient client;
    private final ResumeStore store;
    private final int retries;
    private final Duration firstPause;

    /**
     * @param store      where unfinished uploads are remembered
     * @param retries    how many times a dropped connection or a server error is retried before giving up
     * @param firstPause the pause before the first retry; each further one doubles it (up to 30 s)
     */
    public TusUploader(ApiClient client, ResumeStore store, int retries, Duration firstPause) {
        this.client = client;
        this.store = store;
        this.retries = retries;
        this.firstPause = firstPause;
    }

    /**
     * Uploads {@code file} under {@code name}.
     *
     * @param resume   go on with this file's remembered upload if there is one (else start a new one)
     * @param options  processing options (sent as the metadata value {@code options}), or null for the defaults
     * @param progress told the bytes of the file the server has so far
     * @return what the protocol tells of the new scene: {@code scene_id}, {@code job_id}, and {@code resumed_from}
     *         (the offset this run went on from); its format and status are the scene's ({@code GET /scenes/{id}}).
     *         With {@code resume} but nothing to go on with, {@code not_resumed} says why a new upload was started.
     */
    public JsonNode upload(Path file, String name, boolean resume, JsonNode options, LongConsumer progress)
            throws IOException, RemoteException {
        long size = Files.size(file);
        String key = ResumeStore.key(client.server(), file);
        Optional<ResumeStore.Entry> saved = resume ? store.load(key) : Optional.empty();
        ResumeStore.Entry entry = null;
        State state = null;
        String notResumed = resume && saved.isEmpty() ? "no unfinished upload of this file (same path, size and "
                + "modification time) is remembered" : null;
        if (saved.isPresent()) {
            state = head(saved.get().url());
            if (state != null && state.length() == size) {
                entry = saved.get();
            } else {
                store.delete(key); // expired or deleted on the server: start afresh
                state = null;
                notResumed = "the server no longer has the unfinished upload (expired or deleted)";
            }
        }
        if (entry == null) {
            String idempotencyKey = ApiClient.newIdempotencyKey();
            entry = new ResumeStore.Entry(create(size, name, options, idempotencyKey), idempotencyKey);
            store.save(key, entry, file);
            state = new State(0, size, null, null);
        }
        long resumedFrom = state.offset();
        progress.accept(state.offset());
        int attempt = 0;
        while (state.sceneId() == null) {
            try {
                state = patch(entry.url(), file, state.offset(), size, progress);
                attempt = 0;
            } catch (IOException | RemoteException e) {
                if (e instanceof RemoteException re && !retryable(re)) {
                    throw re;
                }
                if (++attempt > retries) {
                    throw e;
                }
                state = recover(entry.url(), attempt, state);
            }
        }
        store.delete(key);
        ObjectNode o = MAPPER.createObjectNode();
        o.put("scene_id", state.sceneId());
        o.put("job_id", state.jobId());
        o.put("resumed_from", resumedFrom);
        if (notResumed != null) {
            o.put("not_resumed", notResumed);
        }
        return o;
    }

    /** After a failed piece: wait, then ask the server for the offset (waiting and asking again while it is away). */
    private State recover(String url, int attempt, State last) throws IOException, RemoteException {
        for (int a = attempt; ; a++) {
            pause(a);
            try {
                State s = head(url);
                if (s == null) {
                    throw new RemoteException(404, "not-found", "the upload is gone from the server (expired or "
                            + "deleted); run the upload again", null);
                }
                return s;
            } catch (IOException e) {
                if (a >= retries) {
                    throw e;
                }
            } catch (RemoteException e) {
                // a server restarting behind a proxy answers 502/503 for a while: as busy as a refused connection
                if (e.status() == 404 || !retryable(e) || a >= retries) {
                    throw e;
                }
            }
        }
    }

    private static boolean retryable(RemoteException e) {
        // 409: the offset moved (our piece half-arrived); 423: an older request still holds it; 5xx/408/429: busy
        return e.status() == 409 || e.status() == 423 || e.status() == 408 || e.status() == 429 || e.status() >= 500;
    }

    private void pause(int attempt) throws IOException {
        long ms = Math.min(30_000, firstPause.toMillis() << Math.min(attempt - 1, 16));
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted");
        }
    }

    /** How far an upload is, and its scene once it is one. */
    record State(long offset, long length, String sceneId, String jobId) {
    }

    private String create(long size, String name, JsonNode options, String idempotencyKey)
            throws IOException, RemoteException {
        String meta = "filename " + Base64.getEncoder().encodeToString(name.getBytes(StandardCharsets.UTF_8))
                + (options == null ? "" : ",options " + Base64.getEncoder().encodeToString(MAPPER.writeValueAsBytes(options)));
        HttpResponse<InputStream> r = client.authorized(() -> HttpRequest.newBuilder(client.uri(PATH))
                .header("Tus-Resumable", VERSION)
                .header("Upload-Length", Long.toString(size))
                .header("Upload-Metadata", meta)
                .header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.noBody()));
        r.body().close();
        String location = r.headers().firstValue("Location")
                .orElseThrow(() -> new IOException("the server answered the upload's creation without a Location"));
        return location;
    }

    /** The upload's state, or null if the server has no such upload (404). */
    private State head(String url) throws IOException, RemoteException {
        try {
            HttpResponse<InputStream> r = client.authorized(() -> HttpRequest.newBuilder(target(url))
                    .header("Tus-Resumable", VERSION)
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()));
            r.body().close();
            return state(r, -1);
        } catch (RemoteException e) {
            if (e.status() == 404) {
                return null;
            }
            throw e;
        }
    }

    private State patch(String url, Path file, long offset, long size, LongConsumer progress)
            throws IOException, RemoteException {
        HttpResponse<InputStream> r = client.authorized(() -> HttpRequest.newBuilder(target(url))
                .header("Tus-Resumable", VERSION)
                .header("Content-Type", "application/offset+octet-stream")
                .header("Upload-Offset", Long.toString(offset))
                .method("PATCH", HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(
                        () -> from(file, offset, progress)), size - offset)));
        r.body().close();
        return state(r, size);
    }

    /** The file from {@code offset}, counting into {@code progress} as absolute positions. */
    private static InputStream from(Path file, long offset, LongConsumer progress) {
        try {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
            ch.position(offset);
            return new ApiClient.Counting(Channels.newInputStream(ch), n -> progress.accept(offset + n));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static State state(HttpResponse<InputStream> r, long size) throws IOException {
        String off = r.headers().firstValue("Upload-Offset")
                .orElseThrow(() -> new IOException("the server's answer has no Upload-Offset"));
        long length = r.headers().firstValue("Upload-Length").map(Long::parseLong).orElse(size);
        return new State(Long.parseLong(off), length, r.headers().firstValue("Vsa-Scene-Id").orElse(null),
                r.headers().firstValue("Vsa-Job-Id").orElse(null));
    }

    /**
     * The upload's URL as this client reaches the server: the path the server named, on the server the CLI was
     * given (the server's own idea of its address may not be reachable from here, e.g. behind a proxy).
     */
    private URI target(String url) {
        URI u = URI.create(url);
        return client.uri(u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery()));
    }
}
