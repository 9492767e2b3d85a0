package dev.vsa.processing;

import org.slf4j.MDC;

/**
 * The id of the request this thread serves (the API sets it per request, a worker per job run): jobs queued under
 * it store it ({@code payload.request_id}), and it is in the logging context ({@code MDC request_id}) so every
 * log line of the request, and later of its jobs, names it. Held per thread, as the logging context is.
 */
public final class RequestContext {
    /** The logging-context key and the job payload key. */
    public static final String KEY = "request_id";
    private static final ThreadLocal<String> ID = new ThreadLocal<>();

    private RequestContext() {
    }

    /** Sets this thread's request id (null clears it). */
    public static void set(String id) {
        if (id == null) {
            clear();
            return;
        }
        ID.set(id);
        MDC.put(KEY, id);
    }

    /** This thread's request id, or null. */
    public static String get() {
        return ID.get();
    }

    /** Forgets this thread's request id. */
    public static void clear() {
        ID.remove();
        MDC.remove(KEY);
    }
}
