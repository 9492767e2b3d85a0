package dev.vsa.core.validate.gltf;

import dev.vsa.core.validate.gltf.Model.Accessor;
import dev.vsa.core.validate.gltf.Model.BufferView;
import dev.vsa.core.validate.gltf.Model.Checker;
import dev.vsa.core.validate.gltf.Model.Mesh;
import dev.vsa.core.validate.gltf.Model.Node;
import dev.vsa.core.validate.gltf.Model.Primitive;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks accessor data: sparse indices, the scheduled per-element checks (min/max, NaN, unit vectors, indices,
 * animation inputs, splat attributes) and skinning influences. Reads straight from the buffers' memory maps, one
 * element at a time: no copies of the data.
 */
final class DataCheck {
    /** Accessors without a buffer view are all zeros; iterating more than this many of them is pointless. */
    private static final long MAX_SYNTHETIC_VALUES = 50_000_000L;
    /** Accessor data above this many bytes is checked on several threads. */
    private static final long PARALLEL_BYTES = 8L << 20;
    private static final int MAX_THREADS = 4;
    /** Skinning checks hold one primitive's joints and weights in memory: at most this many values each. */
    private static final long MAX_INFLUENCE_VALUES = 4_000_000L;

    private final GltfParser g;
    private final Ctx ctx;
    private final Linker linker;

    DataCheck(GltfParser g) {
        this.g = g;
        this.ctx = g.ctx;
        this.linker = new Linker(g);
    }

    private static boolean usable(Accessor a) {
        return a != null && a.type != null && a.componentType != -1 && a.count != -1
                && (a.bufferView != null || a.sparse != null);
    }

    void run() {
        ctx.clear();
        for (Accessor a : g.accessors) {
            if (usable(a) && a.sparse != null) {
                sparseIndices(a);
            }
        }
        ctx.clear();
        List<Accessor> work = new ArrayList<>();
        long bytes = 0;
        for (Accessor a : g.accessors) {
            if (usable(a) && !a.checkers.isEmpty()) {
                work.add(a);
                bytes += Math.max(0, a.count) * Math.max(1, a.elementLength());
            }
        }
        int threads = Math.min(Runtime.getRuntime().availableProcessors(), MAX_THREADS);
        if (threads < 2 || work.size() < 2 || bytes < PARALLEL_BYTES) {
            for (Accessor a : work) {
                elements(a, a.checkers, ctx);
            }
        } else {
            parallel(work, threads);
        }
        influences();
    }

    private static double read(ByteBuffer d, int pos, long componentType) {
        return switch ((int) componentType) {
            case Gl.BYTE -> d.get(pos);
            case Gl.UNSIGNED_BYTE -> d.get(pos) & 0xFF;
            case Gl.SHORT -> d.getShort(pos);
            case Gl.UNSIGNED_SHORT -> d.getShort(pos) & 0xFFFF;
            case Gl.UNSIGNED_INT -> d.getInt(pos) & 0xFFFFFFFFL;
            default -> d.getFloat(pos);
        };
    }

    /** Byte position of the sparse indices, or -1 if they cannot be read. */
    private long sparseIndicesAt(Accessor a) {
        Model.Sparse s = a.sparse;
        BufferView v = s.indicesBufferView;
        if (v == null || v.buffer == null || v.buffer.data == null || s.indicesComponentType == -1 || v.byteOffset == -1) {
            return -1;
        }
        long at = Ranges.add(v.byteOffset, s.indicesOffset);
        int cl = Gl.componentLength(s.indicesComponentType);
        if (at % cl != 0 || Ranges.add(at, Ranges.multiply(cl, s.count)) > v.buffer.data.capacity()) {
            return -1;
        }
        return at;
    }

    private void sparseIndices(Accessor a) {
        long at = sparseIndicesAt(a);
        if (at < 0) {
            return;
        }
        Model.Sparse s = a.sparse;
        ByteBuffer d = s.indicesBufferView.buffer.data;
        int cl = Gl.componentLength(s.indicesComponentType);
        String path = "/accessors/" + a.index + "/sparse";
        long last = -1;
        for (long i = 0; i < s.count; i++) {
            long value = (long) read(d, (int) (at + i * cl), s.indicesComponentType);
            if (last != -1 && value <= last) {
                ctx.issueAt(path, GltfIssue.ACCESSOR_SPARSE_INDICES_NON_INCREASING, i, value, last);
            }
            if (value >= a.count) {
                ctx.issueAt(path, GltfIssue.ACCESSOR_SPARSE_INDEX_OOB, i, value, a.count);
            }
            last = value;
        }
    }

    /** Receives values one at a time (flat index, component, value). */
    interface Sink {
        void value(long index, int component, double value);
    }

    /** Receives values a block at a time; blocks always start at an element boundary. */
    interface BlockSink {
        void block(double[] values, int n, long flat);
    }

    private static final int BLOCK = 4096;

    /** Iterates an accessor's values one by one; false if its data cannot be read (nothing delivered). */
    boolean iterate(Accessor a, boolean normalize, Sink sink) {
        return iterateBlocks(a, (values, n, flat) -> {
            int comps = a.components();
            for (int i = 0; i < n; i++) {
                long f = flat + i;
                double v = values[i];
                sink.value(f, (int) (f % comps), normalize ? a.normalize(v) : v);
            }
        });
    }

    /**
     * Iterates an accessor's values (sparse substitution applied, as the Khronos getElements) in blocks; false if
     * its data cannot be read (then nothing was delivered).
     */
    boolean iterateBlocks(Accessor a, BlockSink sink) {
        int comps = a.components();
        if (comps == 0) {
            return false;
        }
        ByteBuffer d = null;
        long start = 0;
        long stride = 0;
        int cl = a.componentLength();
        int rows = 0;
        long colStride = 0;
        BufferView v = a.bufferView;
        if (v != null) {
            if (v.buffer == null || v.buffer.data == null) {
                return false;
            }
            stride = a.byteStride();
            if (stride < a.elementLength()) {
                return false;
            }
            if (!linker.checkOffsetAndLength(a.byteOffset, cl, a.byteLength(), v, a.bufferViewIndex, false)) {
                return false;
            }
            d = v.buffer.data;
            start = Ranges.add(v.byteOffset, a.byteOffset);
            long lengthInComponents = a.byteLength() / cl;
            if (Ranges.add(start, lengthInComponents * cl) > d.capacity()) {
                return false;
            }
            if (a.matrixWithGaps()) {
                rows = "MAT2".equals(a.type) ? 2 : 3;
                colStride = 4;
                if (a.componentType == Gl.UNSIGNED_SHORT || a.componentType == Gl.SHORT) {
                    colStride = 8;
                }
            }
        } else if (Ranges.multiply(a.count, comps) > MAX_SYNTHETIC_VALUES) {
            ctx.issueAt("/accessors/" + a.index, GltfIssue.VALIDATION_LIMIT,
                    "The accessor has no buffer view and " + a.count + " elements; its data was not checked.");
            return false;
        }
        Model.Sparse s = a.sparse;
        ByteBuffer sd = null;
        ByteBuffer sid = null;
        long sIndicesAt = -1;
        long sValuesAt = -1;
        int sIndexLength = 0;
        if (s != null) {
            BufferView sv = s.valuesBufferView;
            BufferView si = s.indicesBufferView;
            if (sv == null || si == null || sv.byteLength == -1 || sv.byteOffset == -1 || sv.buffer == null
                    || sv.buffer.data == null || s.indicesComponentType == -1 || si.byteLength == -1
                    || si.byteOffset == -1 || si.buffer == null || si.buffer.data == null || s.count > a.count) {
                return false;
            }
            int icl = Gl.componentLength(s.indicesComponentType);
            long indicesLength = Ranges.multiply(icl, s.count);
            long valuesLength = Ranges.multiply((long) cl * comps, s.count);
            if (!linker.checkOffsetAndLength(s.indicesOffset, icl, indicesLength, si, s.indicesView, false)
                    || !linker.checkOffsetAndLength(s.valuesOffset, cl, valuesLength, sv, s.valuesView, false)) {
                return false;
            }
            sIndicesAt = Ranges.add(si.byteOffset, s.indicesOffset);
            sValuesAt = Ranges.add(sv.byteOffset, s.valuesOffset);
            if (Ranges.add(sIndicesAt, indicesLength) > si.buffer.data.capacity()
                    || Ranges.add(sValuesAt, valuesLength) > sv.buffer.data.capacity()) {
                return false;
            }
            sd = sv.buffer.data;
            sid = si.buffer.data;
            sIndexLength = icl;
        }
        double[] block = new double[Math.max(BLOCK, comps)];
        int n = 0;
        long flat = 0;
        long ct = a.componentType;
        if (s == null && d != null && rows == 0 && stride == (long) comps * cl) {
            // Tightly packed: bulk copies out of the map, a block at a time.
            long total = a.count * comps;
            int per = (block.length / comps) * comps;
            float[] ft = ct == Gl.FLOAT ? new float[per] : null;
            int[] it = ct == Gl.UNSIGNED_INT ? new int[per] : null;
            short[] st = ct == Gl.SHORT || ct == Gl.UNSIGNED_SHORT ? new short[per] : null;
            byte[] bt = ct == Gl.BYTE || ct == Gl.UNSIGNED_BYTE ? new byte[per] : null;
            // Bulk data is read from the file when there is one (positional reads through a fixed buffer), so the
            // map's pages are not made resident for it; the map serves the small random reads.
            java.nio.channels.FileChannel channel = v.buffer.channel;
            ByteBuffer io = channel == null ? null : ByteBuffer.allocate(per * cl).order(ByteOrder.LITTLE_ENDIAN);
            for (long done = 0; done < total; ) {
                int m = (int) Math.min(per, total - done);
                ByteBuffer src;
                if (io != null && readFully(channel, io, v.buffer.channelOffset + start + done * cl, m * cl)) {
                    src = io.duplicate().order(ByteOrder.LITTLE_ENDIAN).limit(m * cl);
                } else {
                    src = d.slice((int) (start + done * cl), m * cl).order(ByteOrder.LITTLE_ENDIAN);
                }
                switch ((int) ct) {
                    case Gl.FLOAT -> {
                        src.asFloatBuffer().get(ft, 0, m);
                        for (int i = 0; i < m; i++) {
                            block[i] = ft[i];
                        }
                    }
                    case Gl.UNSIGNED_INT -> {
                        src.asIntBuffer().get(it, 0, m);
                        for (int i = 0; i < m; i++) {
                            block[i] = it[i] & 0xFFFFFFFFL;
                        }
                    }
                    case Gl.UNSIGNED_SHORT -> {
                        src.asShortBuffer().get(st, 0, m);
                        for (int i = 0; i < m; i++) {
                            block[i] = st[i] & 0xFFFF;
                        }
                    }
                    case Gl.SHORT -> {
                        src.asShortBuffer().get(st, 0, m);
                        for (int i = 0; i < m; i++) {
                            block[i] = st[i];
                        }
                    }
                    case Gl.UNSIGNED_BYTE -> {
                        src.get(bt, 0, m);
                        for (int i = 0; i < m; i++) {
                            block[i] = bt[i] & 0xFF;
                        }
                    }
                    default -> {
                        src.get(bt, 0, m);
                        for (int i = 0; i < m; i++) {
                            block[i] = bt[i];
                        }
                    }
                }
                sink.block(block, m, done);
                done += m;
            }
            return true;
        } else if (s == null && d != null && rows == 0) {
            // Strided elements.
            for (long e = 0; e < a.count; e++) {
                if (n + comps > block.length) {
                    sink.block(block, n, flat);
                    flat += n;
                    n = 0;
                }
                readElement(d, (int) (start + e * stride), ct, comps, cl, block, n);
                n += comps;
            }
        } else {
            long sparsePos = 0;
            long sparseIndex = s == null ? -1 : (long) read(sid, (int) sIndicesAt, s.indicesComponentType);
            for (long e = 0; e < a.count; e++) {
                if (s != null && e > 0 && e - 1 == sparseIndex && sparsePos != s.count - 1) {
                    sparsePos++;
                    sparseIndex = (long) read(sid, (int) (sIndicesAt + sparsePos * sIndexLength), s.indicesComponentType);
                }
                if (n + comps > block.length) {
                    sink.block(block, n, flat);
                    flat += n;
                    n = 0;
                }
                boolean replaced = s != null && e == sparseIndex;
                long base = start + e * stride;
                for (int c = 0; c < comps; c++) {
                    double value;
                    if (replaced) {
                        value = read(sd, (int) (sValuesAt + (sparsePos * comps + c) * cl), ct);
                    } else if (d == null) {
                        value = 0;
                    } else if (rows != 0) {
                        value = read(d, (int) (base + (c / rows) * colStride + (long) (c % rows) * cl), ct);
                    } else {
                        value = read(d, (int) (base + (long) c * cl), ct);
                    }
                    block[n + c] = value;
                }
                n += comps;
            }
        }
        if (n > 0) {
            sink.block(block, n, flat);
        }
        return true;
    }

    /** Reads {@code n} bytes at {@code at} into {@code io} (position 0); false if the file is shorter or fails. */
    private static boolean readFully(java.nio.channels.FileChannel channel, ByteBuffer io, long at, int n) {
        io.clear().limit(n);
        try {
            while (io.hasRemaining()) {
                if (channel.read(io, at + io.position()) < 0) {
                    return false;
                }
            }
        } catch (java.io.IOException e) {
            return false;
        }
        io.flip();
        return true;
    }

    private static void readElement(ByteBuffer d, int pos, long ct, int comps, int cl, double[] out, int at) {
        switch ((int) ct) {
            case Gl.FLOAT -> {
                for (int c = 0; c < comps; c++) {
                    out[at + c] = d.getFloat(pos + 4 * c);
                }
            }
            case Gl.UNSIGNED_INT -> {
                for (int c = 0; c < comps; c++) {
                    out[at + c] = d.getInt(pos + 4 * c) & 0xFFFFFFFFL;
                }
            }
            case Gl.UNSIGNED_SHORT -> {
                for (int c = 0; c < comps; c++) {
                    out[at + c] = d.getShort(pos + 2 * c) & 0xFFFF;
                }
            }
            case Gl.SHORT -> {
                for (int c = 0; c < comps; c++) {
                    out[at + c] = d.getShort(pos + 2 * c);
                }
            }
            case Gl.UNSIGNED_BYTE -> {
                for (int c = 0; c < comps; c++) {
                    out[at + c] = d.get(pos + c) & 0xFF;
                }
            }
            default -> {
                for (int c = 0; c < comps; c++) {
                    out[at + c] = d.get(pos + c);
                }
            }
        }
    }

    private void elements(Accessor a, List<Checker> checkers, Ctx out) {
        Checker[] cs = checkers.toArray(new Checker[0]);
        int comps = a.components();
        boolean any = iterateBlocks(a, (values, n, flat) -> {
            for (Checker ch : cs) {
                ch.checkBlock(out, values, n, flat, 0, comps);
            }
        });
        if (any && a.count > 0) {
            for (Checker ch : cs) {
                ch.done(out);
            }
        }
    }

    /**
     * Checks accessors on {@code threads} threads (largest first); each accessor's issues are held in its own
     * context and added to the report in accessor order, so the report does not depend on scheduling.
     */
    private void parallel(List<Accessor> work, int threads) {
        int keep = ctx.sink.options().maxIssues();
        List<BufferedCtx> outs = new ArrayList<>();
        List<Runnable> tasks = new ArrayList<>();
        for (Accessor a : work) {
            BufferedCtx out = new BufferedCtx(ctx, keep);
            outs.add(out);
            tasks.add(() -> elements(a, a.checkers, out));
        }
        Integer[] order = new Integer[work.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (x, y) -> Long.compare(Ranges.multiply(work.get(y).count, work.get(y).elementLength()),
                Ranges.multiply(work.get(x).count, work.get(x).elementLength())));
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        Runnable worker = () -> {
            for (int i; (i = next.getAndIncrement()) < order.length && failure.get() == null; ) {
                try {
                    tasks.get(order[i]).run();
                } catch (RuntimeException | Error e) {
                    failure.compareAndSet(null, e);
                }
            }
        };
        List<Thread> pool = new ArrayList<>();
        for (int t = 1; t < threads; t++) {
            Thread th = new Thread(worker, "vsa-validate-" + t);
            th.setDaemon(true);
            th.start();
            pool.add(th);
        }
        worker.run();
        for (Thread th : pool) {
            try {
                th.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while checking accessor data", e);
            }
        }
        Throwable f = failure.get();
        if (f instanceof RuntimeException re) {
            throw re;
        } else if (f instanceof Error err) {
            throw err;
        }
        for (BufferedCtx out : outs) {
            out.replay(ctx);
        }
    }

    /** JOINTS_n / WEIGHTS_n: joint indices within the skin, no duplicates, weights non-negative and summing to 1. */
    private void influences() {
        for (int mi = 0; mi < g.meshes.size(); mi++) {
            Mesh mesh = g.meshes.get(mi);
            if (mesh == null || mesh.primitives == null || mesh.primitives.stream().allMatch(p -> p.jointsCount == 0)) {
                continue;
            }
            long maxJoints = -1;
            int limitingSkin = -1;
            for (Node n : g.nodes) {
                if (n != null && n.mesh == mesh && n.skin != null && n.skin.joints != null) {
                    int jc = n.skin.joints.size();
                    if (maxJoints == -1 || jc < maxJoints) {
                        maxJoints = jc;
                        limitingSkin = n.skin.index;
                    }
                }
            }
            if (maxJoints < 1) {
                continue;
            }
            for (int pi = 0; pi < mesh.primitives.size(); pi++) {
                Primitive p = mesh.primitives.get(pi);
                primitiveInfluences(p, "/meshes/" + mi + "/primitives/" + pi + "/attributes", maxJoints - 1, limitingSkin);
            }
        }
    }

    private void primitiveInfluences(Primitive p, String path, long maxJointIndex, int skin) {
        int sets = p.jointsCount;
        if (sets == 0) {
            return;
        }
        Accessor[] joints = new Accessor[sets];
        Accessor[] weights = new Accessor[sets];
        for (int i = 0; i < sets; i++) {
            joints[i] = p.attributes.get("JOINTS_" + i);
            weights[i] = p.attributes.get("WEIGHTS_" + i);
            if (!usable(joints[i]) || !usable(weights[i]) || joints[i].count != p.vertexCount
                    || weights[i].count != p.vertexCount || joints[i].components() != 4 || weights[i].components() != 4) {
                return;
            }
            if (p.vertexCount * 4L > MAX_INFLUENCE_VALUES) {
                ctx.issueAt(path, GltfIssue.VALIDATION_LIMIT, "Too many vertices to check skinning weights ("
                        + p.vertexCount + "); they were not checked.");
                return;
            }
        }
        int n = (int) (p.vertexCount * 4);
        int[][] j = new int[sets][];
        double[][] w = new double[sets][];
        for (int i = 0; i < sets; i++) {
            int[] jv = new int[n];
            double[] wv = new double[n];
            if (!iterate(joints[i], false, (idx, c, v) -> jv[(int) idx] = (int) v)
                    || !iterate(weights[i], true, (idx, c, v) -> wv[(int) idx] = v)) {
                return;
            }
            j[i] = jv;
            w[i] = wv;
        }
        Set<Long> current = new HashSet<>();
        for (int vtx = 0; vtx < p.vertexCount; vtx++) {
            current.clear();
            float sum = 0;
            double threshold = 0;
            for (int comp = 0; comp < 4; comp++) {
                int idx = vtx * 4 + comp;
                for (int i = 0; i < sets; i++) {
                    long joint = j[i][idx] & 0xFFFFFFFFL;
                    if (joint > maxJointIndex) {
                        ctx.issueAt(path + "/JOINTS_" + i, GltfIssue.ACCESSOR_JOINTS_INDEX_OOB, idx, comp, joint, maxJointIndex, skin);
                        continue;
                    }
                    double weight = w[i][idx];
                    if (weight != 0) {
                        boolean unique = true;
                        if (!current.add(joint)) {
                            ctx.issueAt(path + "/JOINTS_" + i, GltfIssue.ACCESSOR_JOINTS_INDEX_DUPLICATE, idx, comp, joint);
                            unique = false;
                        }
                        if (weight < 0) {
                            ctx.issueAt(path + "/WEIGHTS_" + i, GltfIssue.ACCESSOR_WEIGHTS_NEGATIVE, idx, comp, weight);
                        } else if (unique) {
                            sum = (float) (sum + weight);
                            threshold += 2e-7;
                        }
                    } else if (joint != 0) {
                        ctx.issueAt(path + "/JOINTS_" + i, GltfIssue.ACCESSOR_JOINTS_USED_ZERO_WEIGHT, idx, comp, joint);
                    }
                }
            }
            if (Math.abs(sum - 1.0) > threshold) {
                int last = vtx * 4 + 3;
                for (int i = 0; i < sets; i++) {
                    ctx.issueAt(path + "/WEIGHTS_" + i, GltfIssue.ACCESSOR_WEIGHTS_NON_NORMALIZED, last - 3, last, (double) sum);
                }
            }
        }
    }
}
