package dev.vsa.processing;

import dev.vsa.processing.storage.ObjectInfo;
import dev.vsa.processing.storage.ObjectStore;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real store whose first {@code failures} puts of keys containing {@code match} fail, as an unreachable
 * bucket would: the failure is real (the object is not written), only its cause is injected.
 */
final class FailingObjectStore implements ObjectStore {
    private final ObjectStore delegate;
    private final String match;
    private final AtomicInteger failuresLeft;
    final AtomicInteger failed = new AtomicInteger();
    /** Deletes of keys containing {@code match} that fail next (0: none), as an unreachable bucket would. */
    final AtomicInteger deleteFailuresLeft = new AtomicInteger();

    FailingObjectStore(ObjectStore delegate, String match, int failures) {
        this.delegate = delegate;
        this.match = match;
        this.failuresLeft = new AtomicInteger(failures);
    }

    @Override
    public long put(String key, InputStream in, long length, String contentType) throws IOException {
        if (key.contains(match) && failuresLeft.getAndDecrement() > 0) {
            failed.incrementAndGet();
            throw new IOException("injected: storage unreachable for " + key);
        }
        return delegate.put(key, in, length, contentType);
    }

    @Override
    public InputStream get(String key, long offset, long length) throws IOException {
        return delegate.get(key, offset, length);
    }

    @Override
    public Optional<ObjectInfo> stat(String key) throws IOException {
        return delegate.stat(key);
    }

    @Override
    public void delete(String key) throws IOException {
        if (key.contains(match) && deleteFailuresLeft.getAndDecrement() > 0) {
            failed.incrementAndGet();
            throw new IOException("injected: storage unreachable deleting " + key);
        }
        delegate.delete(key);
    }

    @Override
    public List<String> list(String prefix) throws IOException {
        return delegate.list(prefix);
    }

    @Override
    public Optional<URI> presignGet(String key, Duration ttl, String downloadName) throws IOException {
        return delegate.presignGet(key, ttl, downloadName);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
