package dev.vsa.processing;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The limits a vsa process enforces before it does the work they bound (part of {@link ProcessingConfig}, same
 * precedence and {@code VSA_*} names). Each refusal is reported with its own problem type by the API.
 *
 * @param hashThreads             threads hashing passwords (bcrypt); a signup or login waits only for one of them
 *                                ({@code auth.hash-threads}, default: one per two cores, at least one: a flood of
 *                                logins then takes at most half the CPU from everything else)
 * @param hashQueue               password hashes that may wait for a thread; past it the request is refused at once
 *                                (429 with Retry-After) instead of parking ({@code auth.hash-queue}, default: as
 *                                many as threads)
 * @param hashCpuMillicores       CPU hashing may use on average, in thousandths of a core; past it a hash is refused
 *                                at once (429 with Retry-After) however idle its threads are; a quiet server may use
 *                                20 s of it in one go ({@code auth.hash-cpu-millicores}, default: 0, no budget)
 * @param signupMaxPerAddress     signups accepted for hashing per client address within {@code signupWindow}
 *                                ({@code auth.signup-max-per-address}, 10)
 * @param signupWindow            the signup throttle's sliding window ({@code auth.signup-window-seconds}, 3600)
 * @param uploadMaxConcurrent     uploads in flight at once per process; past it 503 with Retry-After before the
 *                                body is read ({@code upload.max-concurrent}, 64)
 * @param uploadIdleTimeout       an upload that sends nothing for this long is dropped
 *                                ({@code upload.idle-timeout-seconds}, 30)
 * @param uploadMinBytesPerSecond an upload slower than this on average over {@code uploadIdleTimeout} is dropped
 *                                ({@code upload.min-bytes-per-second}, 1024; 0: no minimum)
 * @param uploadZipMaxRatio       an uploaded zip may unpack to at most this many times its own size (a zip bomb is
 *                                stopped as its bytes come out; {@code upload.zip-max-ratio}, 100); the total is
 *                                bounded by {@code upload.max-bytes} too
 * @param userMaxBytes            bytes one account may store, originals and outputs together; an upload that does
 *                                not fit is refused (413) before its body is read when it declares its length
 *                                ({@code quota.user-bytes}, 100 GiB)
 * @param userMaxScenes           scenes one account may keep; one more upload is refused (422)
 *                                ({@code quota.user-scenes}, 10000)
 * @param jobMaxOutputBytes       bytes one job may store as outputs; a job whose outputs would be larger fails with
 *                                that reason before storing them ({@code jobs.max-output-bytes}, 8 GiB)
 * @param backgroundNice          the OS nice value (0..19) of password hashing threads, and of job worker threads
 *                                when an API shares their process, so request handling wins the CPU from them
 *                                ({@code cpu.background-nice}, 10; 0: as the rest; see {@link CpuPriority})
 * @param resumableMaxOpen        unfinished resumable (tus) uploads one account may have at once; one more is refused
 *                                (429) until one is finished, deleted or expired ({@code upload.resumable.max-open}, 20)
 * @param uploadMaxConcurrentPerUser uploads in flight at once for one account in one process; past it 429 with
 *                                Retry-After before the body is read, so that one account's burst meets its own limit
 *                                and not every account's 503 ({@code upload.max-concurrent-per-user}, 8)
 * @param backgroundIdle          whether the password hashing threads (with {@code backgroundNice} above 0) also take
 *                                Linux's {@code SCHED_IDLE} policy, so a request thread that wakes takes their core
 *                                at once ({@code cpu.background-idle}, true; job workers keep nice only: threads
 *                                they wake or start would inherit it; see {@link CpuPriority})
 * @param hashTimeout             how long a signup or login waits for its password hash (queued and computed); past
 *                                it the request is answered 429 busy with Retry-After instead of waiting on, e.g. for
 *                                hashing threads starved by a saturated CPU ({@code auth.hash-timeout-seconds}, 30)
 * @param uploadGltfCheckMaxBytes the largest .gltf whose buffer and image URIs an upload checks against its files
 *                                before accepting it (read as a stream; a larger one's missing files are found by its
 *                                job; {@code upload.gltf-check-max-bytes}, 16 MiB)
 */
public record Limits(int hashThreads, int hashQueue, int hashCpuMillicores, int signupMaxPerAddress, Duration signupWindow,
                     int uploadMaxConcurrent, Duration uploadIdleTimeout, long uploadMinBytesPerSecond,
                     int uploadZipMaxRatio, long userMaxBytes, int userMaxScenes, long jobMaxOutputBytes,
                     int backgroundNice, int resumableMaxOpen, int uploadMaxConcurrentPerUser, boolean backgroundIdle,
                     Duration hashTimeout, long uploadGltfCheckMaxBytes) {
    public static final String HASH_THREADS = "auth.hash-threads";
    public static final String HASH_QUEUE = "auth.hash-queue";
    public static final String HASH_CPU = "auth.hash-cpu-millicores";
    public static final String SIGNUP_MAX_PER_ADDRESS = "auth.signup-max-per-address";
    public static final String SIGNUP_WINDOW = "auth.signup-window-seconds";
    public static final String UPLOAD_MAX_CONCURRENT = "upload.max-concurrent";
    public static final String UPLOAD_IDLE_TIMEOUT = "upload.idle-timeout-seconds";
    public static final String UPLOAD_MIN_RATE = "upload.min-bytes-per-second";
    public static final String UPLOAD_ZIP_MAX_RATIO = "upload.zip-max-ratio";
    public static final String USER_MAX_BYTES = "quota.user-bytes";
    public static final String USER_MAX_SCENES = "quota.user-scenes";
    public static final String JOB_MAX_OUTPUT_BYTES = "jobs.max-output-bytes";
    public static final String BACKGROUND_NICE = "cpu.background-nice";
    public static final String RESUMABLE_MAX_OPEN = "upload.resumable.max-open";
    public static final String UPLOAD_MAX_CONCURRENT_PER_USER = "upload.max-concurrent-per-user";
    public static final String BACKGROUND_IDLE = "cpu.background-idle";
    public static final String HASH_TIMEOUT = "auth.hash-timeout-seconds";
    public static final String UPLOAD_GLTF_CHECK_MAX_BYTES = "upload.gltf-check-max-bytes";

    /** The keys of these limits (part of {@link ProcessingConfig#KEYS}). */
    public static final List<String> KEYS = List.of(HASH_THREADS, HASH_QUEUE, HASH_CPU, SIGNUP_MAX_PER_ADDRESS, SIGNUP_WINDOW,
            UPLOAD_MAX_CONCURRENT, UPLOAD_IDLE_TIMEOUT, UPLOAD_MIN_RATE, UPLOAD_ZIP_MAX_RATIO, USER_MAX_BYTES,
            USER_MAX_SCENES, JOB_MAX_OUTPUT_BYTES, BACKGROUND_NICE, RESUMABLE_MAX_OPEN, UPLOAD_MAX_CONCURRENT_PER_USER,
            BACKGROUND_IDLE, HASH_TIMEOUT, UPLOAD_GLTF_CHECK_MAX_BYTES);

    /**
     * Validates the values.
     *
     * @throws ConfigException naming the first bad key
     */
    public Limits {
        ProcessingConfig.require(hashThreads >= 1 && hashThreads <= 256, HASH_THREADS, "must be 1..256, was " + hashThreads);
        ProcessingConfig.require(hashQueue >= 0 && hashQueue <= 10_000, HASH_QUEUE, "must be 0..10000, was " + hashQueue);
        ProcessingConfig.require(hashCpuMillicores >= 0 && hashCpuMillicores <= 1_000_000, HASH_CPU,
                "must be 0..1000000, was " + hashCpuMillicores);
        ProcessingConfig.require(signupMaxPerAddress >= 1, SIGNUP_MAX_PER_ADDRESS, "must be >= 1, was " + signupMaxPerAddress);
        ProcessingConfig.require(signupWindow != null && signupWindow.toSeconds() >= 1, SIGNUP_WINDOW, "must be >= 1 s");
        ProcessingConfig.require(uploadMaxConcurrent >= 1, UPLOAD_MAX_CONCURRENT, "must be >= 1, was " + uploadMaxConcurrent);
        ProcessingConfig.require(uploadIdleTimeout != null && uploadIdleTimeout.toSeconds() >= 1, UPLOAD_IDLE_TIMEOUT,
                "must be >= 1 s");
        ProcessingConfig.require(uploadMinBytesPerSecond >= 0, UPLOAD_MIN_RATE, "must be >= 0, was " + uploadMinBytesPerSecond);
        ProcessingConfig.require(uploadZipMaxRatio >= 1, UPLOAD_ZIP_MAX_RATIO, "must be >= 1, was " + uploadZipMaxRatio);
        ProcessingConfig.require(userMaxBytes >= 1, USER_MAX_BYTES, "must be >= 1, was " + userMaxBytes);
        ProcessingConfig.require(userMaxScenes >= 1, USER_MAX_SCENES, "must be >= 1, was " + userMaxScenes);
        ProcessingConfig.require(jobMaxOutputBytes >= 1, JOB_MAX_OUTPUT_BYTES, "must be >= 1, was " + jobMaxOutputBytes);
        ProcessingConfig.require(backgroundNice >= 0 && backgroundNice <= 19, BACKGROUND_NICE,
                "must be 0..19, was " + backgroundNice);
        ProcessingConfig.require(resumableMaxOpen >= 1 && resumableMaxOpen <= 10_000, RESUMABLE_MAX_OPEN,
                "must be 1..10000, was " + resumableMaxOpen);
        ProcessingConfig.require(uploadMaxConcurrentPerUser >= 1, UPLOAD_MAX_CONCURRENT_PER_USER,
                "must be >= 1, was " + uploadMaxConcurrentPerUser);
        ProcessingConfig.require(hashTimeout != null && hashTimeout.toSeconds() >= 1 && hashTimeout.toSeconds() <= 3600,
                HASH_TIMEOUT, "must be 1..3600 s");
        ProcessingConfig.require(uploadGltfCheckMaxBytes >= 0, UPLOAD_GLTF_CHECK_MAX_BYTES,
                "must be >= 0, was " + uploadGltfCheckMaxBytes);
    }

    /** The limits from resolved {@code values} (by key), defaults for the missing ones. */
    static Limits load(Map<String, String> values) {
        int cores = Runtime.getRuntime().availableProcessors();
        int threads = (int) ProcessingConfig.number(HASH_THREADS,
                values.getOrDefault(HASH_THREADS, Integer.toString(Math.max(1, cores / 2))));
        return new Limits(threads,
                (int) ProcessingConfig.number(HASH_QUEUE, values.getOrDefault(HASH_QUEUE, Integer.toString(threads))),
                (int) ProcessingConfig.number(HASH_CPU, values.getOrDefault(HASH_CPU, "0")),
                (int) ProcessingConfig.number(SIGNUP_MAX_PER_ADDRESS, values.getOrDefault(SIGNUP_MAX_PER_ADDRESS, "10")),
                Duration.ofSeconds(ProcessingConfig.number(SIGNUP_WINDOW, values.getOrDefault(SIGNUP_WINDOW, "3600"))),
                (int) ProcessingConfig.number(UPLOAD_MAX_CONCURRENT, values.getOrDefault(UPLOAD_MAX_CONCURRENT, "64")),
                Duration.ofSeconds(ProcessingConfig.number(UPLOAD_IDLE_TIMEOUT, values.getOrDefault(UPLOAD_IDLE_TIMEOUT, "30"))),
                ProcessingConfig.number(UPLOAD_MIN_RATE, values.getOrDefault(UPLOAD_MIN_RATE, "1024")),
                (int) ProcessingConfig.number(UPLOAD_ZIP_MAX_RATIO, values.getOrDefault(UPLOAD_ZIP_MAX_RATIO, "100")),
                ProcessingConfig.number(USER_MAX_BYTES, values.getOrDefault(USER_MAX_BYTES, Long.toString(100L << 30))),
                (int) ProcessingConfig.number(USER_MAX_SCENES, values.getOrDefault(USER_MAX_SCENES, "10000")),
                ProcessingConfig.number(JOB_MAX_OUTPUT_BYTES, values.getOrDefault(JOB_MAX_OUTPUT_BYTES, Long.toString(8L << 30))),
                (int) ProcessingConfig.number(BACKGROUND_NICE,
                        values.getOrDefault(BACKGROUND_NICE, Integer.toString(CpuPriority.DEFAULT_NICE))),
                (int) ProcessingConfig.number(RESUMABLE_MAX_OPEN, values.getOrDefault(RESUMABLE_MAX_OPEN, "20")),
                (int) ProcessingConfig.number(UPLOAD_MAX_CONCURRENT_PER_USER,
                        values.getOrDefault(UPLOAD_MAX_CONCURRENT_PER_USER, "8")),
                ProcessingConfig.bool(BACKGROUND_IDLE, values.getOrDefault(BACKGROUND_IDLE, "true")),
                Duration.ofSeconds(ProcessingConfig.number(HASH_TIMEOUT, values.getOrDefault(HASH_TIMEOUT, "30"))),
                ProcessingConfig.number(UPLOAD_GLTF_CHECK_MAX_BYTES,
                        values.getOrDefault(UPLOAD_GLTF_CHECK_MAX_BYTES, Long.toString(16L << 20))));
    }
}
