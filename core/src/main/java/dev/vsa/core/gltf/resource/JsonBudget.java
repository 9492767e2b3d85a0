package dev.vsa.core.gltf.resource;

/**
 * How much memory a glTF JSON tree may take: a quarter of the Java heap ({@code Runtime.maxMemory()}), or the
 * system property {@value #PROPERTY} (bytes) when set. The tree is charged as it is built (objects, arrays,
 * strings and numbers at their approximate heap cost), so a file of millions of empty objects or one huge string
 * is refused after a few megabytes instead of filling the heap.
 */
public final class JsonBudget {
    /** System property that overrides the budget, in bytes. */
    public static final String PROPERTY = "vsa.json.max-memory";

    private JsonBudget() {
    }

    /**
     * The budget in bytes.
     *
     * @throws IllegalArgumentException if {@value #PROPERTY} is set but not a positive whole number
     */
    public static long bytes() {
        String set = System.getProperty(PROPERTY);
        if (set != null && !set.isBlank()) {
            long v;
            try {
                v = Long.parseLong(set.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(PROPERTY + " must be a number of bytes, was '" + set + "'");
            }
            if (v <= 0) {
                throw new IllegalArgumentException(PROPERTY + " must be > 0, was " + v);
            }
            return v;
        }
        return Runtime.getRuntime().maxMemory() / 4;
    }

    /** One line: what the budget is and how to raise it. */
    public static String describe(long budget) {
        return "the JSON memory budget is " + mib(budget) + " (a quarter of the Java heap); raise the heap with -Xmx"
                + " (for the vsa command: VSA_JAVA_OPTS=-Xmx" + suggestHeap(budget) + ") or set -D" + PROPERTY;
    }

    static String mib(long bytes) {
        return (bytes >> 20) + " MiB";
    }

    private static String suggestHeap(long budget) {
        long heapMib = Math.max(1024, (budget * 4 >> 20) * 4);
        return heapMib % 1024 == 0 ? (heapMib / 1024) + "g" : heapMib + "m";
    }
}
