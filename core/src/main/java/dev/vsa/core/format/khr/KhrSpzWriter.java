package dev.vsa.core.format.khr;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.vsa.core.format.spz.SpzCodec;
import dev.vsa.core.format.util.AxisFlips;
import dev.vsa.core.format.util.BatchChecks;
import dev.vsa.core.gltf.resource.Glb;
import dev.vsa.core.splat.SplatBatch;
import dev.vsa.core.splat.SplatLayout;
import dev.vsa.core.splat.SplatWriter;
import dev.vsa.core.splat.WriteOptions;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes a GLB whose one splat primitive is compressed with SPZ ({@code KHR_gaussian_splatting_compression_spz_2},
 * draft of KhronosGroup/glTF PR #2531): the splats go through the SPZ codec as a version 3 payload (gzip, what the
 * SPZ library 2.x reads; no frame record, which v3 cannot carry) holding glTF's own frame (LUF), as cesium-native
 * and CesiumJS read it; the accessors carry counts (and POSITION's min/max) only, as the draft says. Attributes
 * listed: POSITION, COLOR_0, ROTATION, SCALE and the SH coefficients of the payload's degree (as cesium-native's
 * test file does). The payload is spilled to a temporary file beside the output and copied into the BIN chunk.
 */
final class KhrSpzWriter implements SplatWriter {
    private final Path path;
    private final Path payload;
    private final SplatLayout layout;
    private final SplatWriter spz;
    private final SplatBatch gltf;
    private final float[] signs;
    private final double[] min = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY};
    private final double[] max = {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
    private long count;
    private boolean done;

    KhrSpzWriter(Path path, SplatLayout layout) throws IOException {
        this.path = path;
        this.layout = SplatLayout.of(layout.shDegree());
        this.payload = path.toAbsolutePath().resolveSibling(".vsa-spz-" + Long.toHexString(System.nanoTime()) + ".spz");
        this.spz = new SpzCodec().openWriter(payload, this.layout, new WriteOptions(3));
        this.gltf = new SplatBatch(this.layout, SplatBatch.DEFAULT_CAPACITY);
        this.signs = AxisFlips.shSigns(-1f, -1f, 1f);
        this.inputLayout = layout;
    }

    private final SplatLayout inputLayout;

    @Override
    public void write(SplatBatch batch) throws IOException {
        BatchChecks.checkWrite(done, inputLayout, batch);
        int stride = batch.stride();
        int out = gltf.stride();
        int per = layout.restPerChannel();
        float[] a = batch.array();
        float[] g = gltf.array();
        for (int from = 0; from < batch.size(); from += gltf.capacity()) {
            int n = Math.min(gltf.capacity(), batch.size() - from);
            for (int i = 0; i < n; i++) {
                System.arraycopy(a, (from + i) * stride, g, i * out, out); // the input's extras, if any, dropped
            }
            // PLY (RDF) -> glTF (LUF): a half turn about z, as the reader turns back
            KhrReader.toGltfFrame(g, out, n, signs, per);
            for (int i = 0; i < n; i++) {
                int o = i * out;
                for (int k = 0; k < 3; k++) {
                    min[k] = Math.min(min[k], g[o + k]);
                    max[k] = Math.max(max[k], g[o + k]);
                }
            }
            gltf.setSize(n);
            spz.write(gltf);
            count += n;
        }
    }

    @Override
    public void finish() throws IOException {
        if (done) {
            throw new IllegalStateException("the writer is finished or closed");
        }
        done = true;
        spz.finish();
        spz.close();
        long bin = Files.size(payload);
        byte[] json = json(bin);
        int jsonPadded = (json.length + 3) & ~3;
        long binPadded = (bin + 3) & ~3L;
        long total = 12 + 8 + jsonPadded + 8 + binPadded;
        KhrWriter.checkGlbSize(total, "");
        try (FileChannel out = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
             FileChannel in = FileChannel.open(payload, StandardOpenOption.READ)) {
            ByteBuffer head = ByteBuffer.allocate(20 + jsonPadded + 8).order(ByteOrder.LITTLE_ENDIAN);
            head.putInt(Glb.MAGIC).putInt(2).putInt((int) total);
            head.putInt(jsonPadded).putInt(Glb.CHUNK_JSON).put(json);
            for (int i = json.length; i < jsonPadded; i++) {
                head.put((byte) ' ');
            }
            head.putInt((int) binPadded).putInt(Glb.CHUNK_BIN);
            head.flip();
            while (head.hasRemaining()) {
                out.write(head);
            }
            long pos = 0;
            while (pos < bin) {
                pos += in.transferTo(pos, bin - pos, out);
            }
            ByteBuffer pad = ByteBuffer.allocate((int) (binPadded - bin));
            while (pad.hasRemaining()) {
                out.write(pad);
            }
        } finally {
            Files.deleteIfExists(payload);
        }
    }

    private byte[] json(long bin) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String[] attrs = attributes();
        try (JsonGenerator g = new JsonFactory().createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeObjectFieldStart("asset");
            g.writeStringField("version", "2.0");
            g.writeStringField("generator", "vsa");
            g.writeEndObject();
            for (String key : new String[]{"extensionsUsed", "extensionsRequired"}) {
                g.writeArrayFieldStart(key);
                g.writeString(KhrReader.EXT);
                g.writeString(KhrReader.SPZ_2);
                g.writeEndArray();
            }
            g.writeArrayFieldStart("accessors");
            for (String a : attrs) {
                g.writeStartObject();
                boolean color = a.equals("COLOR_0");
                g.writeNumberField("componentType", color ? 5121 : 5126);
                if (color) {
                    g.writeBooleanField("normalized", true);
                }
                g.writeNumberField("count", count);
                g.writeStringField("type", color || a.endsWith("ROTATION") ? "VEC4" : "VEC3");
                if (a.equals("POSITION") && count > 0) {
                    g.writeArrayFieldStart("min");
                    for (double v : min) {
                        g.writeNumber((float) v);
                    }
                    g.writeEndArray();
                    g.writeArrayFieldStart("max");
                    for (double v : max) {
                        g.writeNumber((float) v);
                    }
                    g.writeEndArray();
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("bufferViews");
            g.writeStartObject();
            g.writeNumberField("buffer", 0);
            g.writeNumberField("byteLength", bin);
            g.writeEndObject();
            g.writeEndArray();
            g.writeArrayFieldStart("buffers");
            g.writeStartObject();
            g.writeNumberField("byteLength", bin);
            g.writeEndObject();
            g.writeEndArray();
            g.writeArrayFieldStart("meshes");
            g.writeStartObject();
            g.writeArrayFieldStart("primitives");
            g.writeStartObject();
            g.writeNumberField("mode", 0);
            g.writeObjectFieldStart("attributes");
            for (int i = 0; i < attrs.length; i++) {
                g.writeNumberField(attrs[i], i);
            }
            g.writeEndObject();
            g.writeObjectFieldStart("extensions");
            g.writeObjectFieldStart(KhrReader.EXT);
            KhrWriter.writeSplatProperties(g);
            g.writeObjectFieldStart("extensions");
            g.writeObjectFieldStart(KhrReader.SPZ_2);
            g.writeNumberField("bufferView", 0);
            g.writeEndObject();
            g.writeEndObject();
            g.writeEndObject();
            g.writeEndObject();
            g.writeEndObject();
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndArray();
            g.writeArrayFieldStart("nodes");
            g.writeStartObject();
            g.writeNumberField("mesh", 0);
            g.writeEndObject();
            g.writeEndArray();
            g.writeArrayFieldStart("scenes");
            g.writeStartObject();
            g.writeArrayFieldStart("nodes");
            g.writeNumber(0);
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndArray();
            g.writeNumberField("scene", 0);
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private String[] attributes() {
        java.util.List<String> a = new java.util.ArrayList<>(java.util.List.of("POSITION", "COLOR_0",
                KhrReader.PREFIX + "ROTATION", KhrReader.PREFIX + "SCALE"));
        for (int l = 1; l <= layout.shDegree(); l++) {
            for (int n = 0; n < 2 * l + 1; n++) {
                a.add(KhrReader.PREFIX + "SH_DEGREE_" + l + "_COEF_" + n);
            }
        }
        return a.toArray(new String[0]);
    }

    @Override
    public void close() throws IOException {
        if (!done) {
            done = true;
            spz.close();
            Files.deleteIfExists(path);
        }
        Files.deleteIfExists(payload);
    }
}
