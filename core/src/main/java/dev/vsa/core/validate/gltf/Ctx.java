package dev.vsa.core.validate.gltf;

import dev.vsa.core.validate.IssueSink;
import dev.vsa.core.validate.Severity;

import java.util.ArrayList;
import java.util.List;

/** The validation context: the JSON-pointer path being checked, the issue sink and a work budget. */
class Ctx {
    /** Graph walks (parents, joints) stop after this many steps in total: hostile graphs cannot hang us. */
    static final long WORK_BUDGET = 50_000_000L;

    final IssueSink sink;
    final boolean glb;
    private final List<String> path = new ArrayList<>();
    private long work;
    private boolean budgetReported;

    Ctx(IssueSink sink, boolean glb) {
        this.sink = sink;
        this.glb = glb;
    }

    void push(String token) {
        path.add(token);
    }

    void push(int index) {
        path.add(Integer.toString(index));
    }

    void pop() {
        path.remove(path.size() - 1);
    }

    void clear() {
        path.clear();
    }

    List<String> snapshot() {
        return List.copyOf(path);
    }

    void restore(List<String> p) {
        path.clear();
        path.addAll(p);
    }

    /** The pointer of the current path plus {@code token} (null: the current path itself). */
    String pointer(String token) {
        StringBuilder sb = new StringBuilder(64);
        for (String s : path) {
            sb.append('/').append(escape(s));
        }
        if (token != null) {
            if (path.isEmpty() && token.startsWith("/")) {
                return token;
            }
            sb.append('/').append(escape(token));
        }
        return sb.isEmpty() ? "/" : sb.toString();
    }

    private static String escape(String s) {
        return s.indexOf('~') < 0 && s.indexOf('/') < 0 ? s : s.replace("~", "~0").replace("/", "~1");
    }

    /** Adds an issue at the current path plus {@code name} (null: at the current path). */
    void issue(GltfIssue code, String name, Object... args) {
        if (sink.isFull()) {
            sink.add(code.name(), code.severity, "", null, null);
            return;
        }
        sink.add(code.name(), code.severity, code.format(args), pointer(name), null);
    }

    void issue(GltfIssue code, int index, Object... args) {
        issue(code, Integer.toString(index), args);
    }

    /** Adds an issue at an absolute pointer ("" for the whole document). */
    void issueAt(String pointer, GltfIssue code, Object... args) {
        if (sink.isFull()) {
            sink.add(code.name(), code.severity, "", null, null);
            return;
        }
        sink.add(code.name(), code.severity, code.format(args), pointer, null);
    }

    void issueAtByte(long offset, GltfIssue code, Object... args) {
        if (sink.isFull()) {
            sink.add(code.name(), code.severity, "", null, null);
            return;
        }
        sink.add(code.name(), code.severity, code.format(args), null, offset);
    }

    void issueWithSeverity(GltfIssue code, Severity severity, String name, Object... args) {
        sink.add(code.name(), severity, sink.isFull() ? "" : code.format(args), sink.isFull() ? null : pointer(name), null);
    }

    /** Spends {@code steps} of the work budget; false (once reported) when it is exhausted. */
    boolean spend(long steps) {
        work += steps;
        if (work <= WORK_BUDGET) {
            return true;
        }
        if (!budgetReported) {
            budgetReported = true;
            issueAt("", GltfIssue.VALIDATION_LIMIT, "The node/joint graph is too large to check completely; some graph checks were skipped.");
            sink.markTruncated();
        }
        return false;
    }
}
