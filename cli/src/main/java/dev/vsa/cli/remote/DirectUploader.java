package dev.vsa.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.vsa.processing.Digests;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongConsumer;

/**
 * Sends one file straight to the server's bucket ({@code POST /uploads/direct}, S3 storage): hashes it, asks for part
 * URLs, PUTs at most {@code parallel} parts at a time to them (a failed part is tried again, up to {@code retries}
 * times), then asks the server to complete, which checks size and SHA-256 and makes the scene. If a part cannot be
 * sent, the upload is aborted so the bucket keeps nothing.
 */
public final class DirectUploader {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final ApiClient client;
    private final int parallel;
    private final int retries;
    private final Duration pause;

    /**
     * @throws IllegalArgumentException if {@code parallel} is not 1..64 or {@code retries} negative
     */
    public DirectUploader(ApiClient client, int parallel, int retries, Duration pause) {
        if (parallel < 1 || parallel > 64) {
            throw new IllegalArgumentException("--parallel must be 1..64, was " + parallel);
        }
        if (retries < 0) {
            throw new IllegalArgumentException("--retries must be >= 0, was " + retries);
        }
        this.client = client;
        this.parallel = parallel;
        this.retries = retries;
        this.pause = pause;
    }

    /**
     * Uploads {@code file} under {@code name}.
     *
     * @param options  processing options (the JSON of POST /upload/'s 'options' field), or null for the defaults
     * @param progress told the bytes the bucket has received so far (all parts together)
     * @return the server's answer to the completion (as {@code POST /upload/}'s: scene_id, job_id, ...)
     * @throws RemoteException from the server ({@code direct-upload-unavailable} on local storage, 413, 422 ...) or the
     *                         store (type {@code storage})
     */
    public JsonNode upload(Path file, String name, JsonNode options, LongConsumer progress)
            throws IOException, RemoteException {
        long size = Files.size(file);
        JsonNode session = client.startDirectUpload(name, size, sha256(file), null, options);
        String id = session.path("upload_id").asText();
        long partSize = session.path("part_size").asLong();
        JsonNode parts = session.path("parts");
        AtomicLongArray sent = new AtomicLongArray(parts.size());
        LongConsumer total = new LongConsumer() {
            @Override
            public synchronized void accept(long ignored) {
                long sum = 0;
                for (int i = 0; i < sent.length(); i++) {
                    sum += sent.get(i);
                }
                progress.accept(sum);
            }
        };
        List<Future<String>> etags = new ArrayList<>();
        boolean done = false;
        // Virtual threads wait on the network; the semaphore keeps at most `parallel` parts in flight.
        Semaphore slots = new Semaphore(parallel);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (JsonNode p : parts) {
                int index = etags.size();
                long offset = (p.path("number").asLong() - 1) * partSize;
                etags.add(pool.submit(() -> {
                    slots.acquire();
                    try {
                        return sendPart(URI.create(p.path("url").asText()), file, offset, p.path("size").asLong(),
                                n -> {
                                    sent.set(index, n);
                                    total.accept(n);
                                });
                    } finally {
                        slots.release();
                    }
                }));
            }
            ArrayNode tags = MAPPER.createArrayNode();
            try {
                for (int i = 0; i < etags.size(); i++) {
                    tags.addObject().put("number", parts.get(i).path("number").asInt()).put("etag", result(etags.get(i)));
                }
            } finally {
                etags.forEach(f -> f.cancel(true)); // after a failed part, stop the others before the pool waits
            }
            JsonNode scene = client.completeDirectUpload(id, tags);
            done = true;
            return scene;
        } finally {
            if (!done) {
                abortQuietly(id);
            }
        }
    }

    private String sendPart(URI url, Path file, long offset, long length, LongConsumer progress)
            throws IOException, RemoteException, InterruptedException {
        for (int attempt = 0; ; attempt++) {
            try {
                return client.putPart(url, file, offset, length, progress);
            } catch (IOException | RemoteException e) {
                boolean transientFailure = e instanceof IOException
                        || ((RemoteException) e).status() >= 500 || ((RemoteException) e).status() == 429;
                if (!transientFailure || attempt >= retries) {
                    throw e;
                }
                progress.accept(0);
                Thread.sleep(pause.multipliedBy(1L << Math.min(attempt, 5)).toMillis());
            }
        }
    }

    private static String result(Future<String> f) throws IOException, RemoteException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RemoteException r) {
                throw r;
            }
            if (c instanceof IOException io) {
                throw io;
            }
            throw new IOException("a part failed: " + c, c);
        }
    }

    private void abortQuietly(String id) {
        try {
            client.abortDirectUpload(id);
        } catch (IOException | RemoteException ignored) {
            // the server's expiry of the upload aborts it in the end
        }
    }

    /** The file's SHA-256 as the server expects it (hex). */
    static String sha256(Path file) throws IOException {
        return Digests.sha256Hex(file);
    }
}
