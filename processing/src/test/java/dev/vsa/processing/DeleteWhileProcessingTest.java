package dev.vsa.processing;

import dev.vsa.processing.storage.LocalObjectStore;
import dev.vsa.processing.storage.ObjectInfo;
import dev.vsa.processing.storage.ObjectStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A scene deleted while its process job runs leaves no objects behind once the job gives up. */
class DeleteWhileProcessingTest {
    @TempDir
    Path home;

    /** Holds the first output put until released. */
    static final class GatedStore implements ObjectStore {
        final ObjectStore d;
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        GatedStore(ObjectStore d) {
            this.d = d;
        }

        @Override
        public long put(String key, InputStream in, long length, String contentType) throws IOException {
            if (key.contains("/outputs/") && entered.getCount() > 0) {
                entered.countDown();
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    throw new InterruptedIOException();
                }
            }
            return d.put(key, in, length, contentType);
        }

        @Override
        public InputStream get(String key, long offset, long length) throws IOException {
            return d.get(key, offset, length);
        }

        @Override
        public Optional<ObjectInfo> stat(String key) throws IOException {
            return d.stat(key);
        }

        @Override
        public void delete(String key) throws IOException {
            d.delete(key);
        }

        @Override
        public List<String> list(String prefix) throws IOException {
            return d.list(prefix);
        }

        @Override
        public Optional<URI> presignGet(String key, Duration ttl, String name) throws IOException {
            return d.presignGet(key, ttl, name);
        }

        @Override
        public void close() {
            d.close();
        }
    }

    @Test
    void delete_duringProcessing_noOrphanObjects() throws Exception {
        GatedStore store = new GatedStore(new LocalObjectStore(home.resolve("objects")));
        try (Processing p = Processing.start(ProcessingTestSupport.config(home, TestDatabases.fresh(), Map.of()), store)) {
            User u = p.users().create("d", "d@example.org", "h");
            Scene s = p.scenes().upload(u.id(), ProcessingTestSupport.part("unitCube-ascii.ply"));
            WorkerPool pool = p.startWorkers(1);
            assertTrue(store.entered.await(60, TimeUnit.SECONDS));
            assertTrue(p.scenes().delete(u.id(), s.id()));
            store.release.countDown();
            ProcessingTestSupport.await("the worker to give up", () -> pool.busy() == 0);
            // The delete's purge job, and the one the interrupted job queued for what it stored after it, run next.
            ProcessingTestSupport.await("no objects left under the scene", () -> {
                try {
                    return p.store().list("scenes/" + s.id() + "/").isEmpty();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
    }
}
