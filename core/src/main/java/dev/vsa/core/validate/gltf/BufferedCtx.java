package dev.vsa.core.validate.gltf;

import dev.vsa.core.validate.IssueSink;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A context that holds the data-check issues of one accessor, so accessors can be checked on several threads and
 * their issues still reach the report in a fixed order. Keeps at most {@code keep} messages; beyond that only counts.
 */
final class BufferedCtx extends Ctx {
    private record Pending(String pointer, GltfIssue code, Object[] args) {
    }

    private final int keep;
    private final List<Pending> pending = new ArrayList<>();
    private final Map<GltfIssue, Long> overflow = new HashMap<>();

    BufferedCtx(Ctx parent, int keep) {
        super(parent.sink, parent.glb);
        this.keep = keep;
    }

    @Override
    void issueAt(String pointer, GltfIssue code, Object... args) {
        if (keep == 0 || pending.size() < keep) {
            pending.add(new Pending(pointer, code, args));
        } else {
            overflow.merge(code, 1L, Long::sum);
        }
    }

    /** Adds the held issues to {@code target} (call on the thread that owns the sink). */
    void replay(Ctx target) {
        for (Pending p : pending) {
            target.issueAt(p.pointer(), p.code(), p.args());
        }
        IssueSink sink = target.sink;
        overflow.forEach((code, n) -> {
            for (long i = 0; i < n; i++) {
                sink.add(code.name(), code.severity, "", null, null);
            }
        });
    }
}
