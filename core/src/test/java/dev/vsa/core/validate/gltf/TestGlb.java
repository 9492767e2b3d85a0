package dev.vsa.core.validate.gltf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes valid GLB files for tests and the benchmark, streaming the BIN chunk through a fixed buffer: a triangle
 * grid mesh and a KHR_gaussian_splatting point cloud. {@code main(kind, file, size)} writes one.
 */
public final class TestGlb {
    private TestGlb() {
    }

    /** Writes {@code bytes} values of one buffer view, in order. */
    interface Filler {
        void fill(ByteBuffer out, long element);
    }

    record View(long elementBytes, long count, String accessorJson, Filler filler, int target) {
        long length() {
            return elementBytes * count;
        }
    }

    /**
     * Writes a GLB whose JSON is {@code json} with {@code %s} replaced by the bufferViews, accessors and buffers
     * built from {@code views} (each view is tightly packed, 4-byte aligned).
     */
    static void write(Path out, String jsonTemplate, List<View> views) throws IOException {
        StringBuilder bvs = new StringBuilder();
        StringBuilder accs = new StringBuilder();
        long offset = 0;
        for (int i = 0; i < views.size(); i++) {
            View v = views.get(i);
            if (i > 0) {
                bvs.append(',');
                accs.append(',');
            }
            bvs.append(String.format(Locale.ROOT, "{\"buffer\":0,\"byteOffset\":%d,\"byteLength\":%d%s}", offset,
                    v.length(), v.target() == 0 ? "" : ",\"target\":" + v.target()));
            accs.append(v.accessorJson().replace("$VIEW", Integer.toString(i)));
            offset += v.length();
            offset += -offset & 3;
        }
        long binLength = offset;
        String json = jsonTemplate.replace("$BUFFERVIEWS", bvs).replace("$ACCESSORS", accs)
                .replace("$BUFFERS", "{\"byteLength\":" + binLength + "}");
        byte[] jsonBytes = json.getBytes(StandardCharsets.UTF_8);
        int jsonPadded = (jsonBytes.length + 3) & ~3;
        long total = 12 + 8 + jsonPadded + 8 + binLength;
        try (FileChannel ch = FileChannel.open(out, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer h = ByteBuffer.allocate(20 + jsonPadded + 8).order(ByteOrder.LITTLE_ENDIAN);
            h.putInt(0x46546C67).putInt(2).putInt((int) total);
            h.putInt(jsonPadded).putInt(0x4E4F534A).put(jsonBytes);
            while (h.position() < 20 + jsonPadded) {
                h.put((byte) ' ');
            }
            h.putInt((int) binLength).putInt(0x004E4942);
            h.flip();
            while (h.hasRemaining()) {
                ch.write(h);
            }
            ByteBuffer buf = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
            long written = 0;
            for (View v : views) {
                for (long e = 0; e < v.count(); e++) {
                    if (buf.remaining() < v.elementBytes()) {
                        buf.flip();
                        while (buf.hasRemaining()) {
                            written += ch.write(buf);
                        }
                        buf.clear();
                    }
                    v.filler().fill(buf, e);
                }
                while (((written + buf.position()) & 3) != 0) {
                    buf.put((byte) 0);
                }
            }
            buf.flip();
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
        }
    }

    private static String acc(String type, int componentType, long count, String extra) {
        return "{\"bufferView\":$VIEW,\"componentType\":" + componentType + ",\"count\":" + count + ",\"type\":\""
                + type + "\"" + extra + "}";
    }

    /** A flat grid of {@code n x n} quads: (n+1)^2 vertices with POSITION, NORMAL, TEXCOORD_0 and uint32 indices. */
    public static void mesh(Path out, int n) throws IOException {
        int side = n + 1;
        long vertices = (long) side * side;
        long indices = 6L * n * n;
        List<View> views = new ArrayList<>();
        views.add(new View(12, vertices, acc("VEC3", 5126, vertices, ",\"min\":[0,0,0],\"max\":[" + n + "," + n + ",0]"),
                (b, e) -> b.putFloat(e % side).putFloat(e / side).putFloat(0), 34962));
        views.add(new View(12, vertices, acc("VEC3", 5126, vertices, ""), (b, e) -> b.putFloat(0).putFloat(0).putFloat(1), 34962));
        views.add(new View(8, vertices, acc("VEC2", 5126, vertices, ""),
                (b, e) -> b.putFloat((float) (e % side) / n).putFloat((float) (e / side) / n), 34962));
        views.add(new View(4, indices, acc("SCALAR", 5125, indices, ""), (b, e) -> {
            long quad = e / 6;
            long x = quad % n;
            long y = quad / n;
            long v0 = y * side + x;
            long[] corner = {v0, v0 + 1, v0 + side, v0 + side, v0 + 1, v0 + side + 1};
            b.putInt((int) corner[(int) (e % 6)]);
        }, 34963));
        String json = "{\"asset\":{\"version\":\"2.0\",\"generator\":\"vsa TestGlb\"},\"scene\":0,\"scenes\":[{\"nodes\":[0]}],"
                + "\"nodes\":[{\"mesh\":0}],\"meshes\":[{\"primitives\":[{\"attributes\":{\"POSITION\":0,\"NORMAL\":1,"
                + "\"TEXCOORD_0\":2},\"indices\":3,\"material\":0}]}],\"materials\":[{}],"
                + "\"accessors\":[$ACCESSORS],\"bufferViews\":[$BUFFERVIEWS],\"buffers\":[$BUFFERS]}";
        write(out, json, views);
    }

    /**
     * {@code count} splats with SH degree {@code degree}, all values valid per KHR_gaussian_splatting: unit
     * rotations, positive linear scales, opacity in 0..1.
     */
    public static void splats(Path out, long count, int degree) throws IOException {
        List<View> views = new ArrayList<>();
        StringBuilder attrs = new StringBuilder();
        int side = (int) Math.ceil(Math.cbrt(count));
        views.add(new View(12, count, acc("VEC3", 5126, count, ",\"min\":[0,0,0],\"max\":[" + (side - 1) + ","
                + (side - 1) + "," + ((count - 1) / ((long) side * side)) + "]"), (b, e) -> {
            if (count == 1) {
                b.putFloat(0).putFloat(0).putFloat(0);
                return;
            }
            b.putFloat(e % side).putFloat((e / side) % side).putFloat(e / ((long) side * side));
        }, 34962));
        attrs.append("\"POSITION\":0");
        views.add(new View(16, count, acc("VEC4", 5126, count, ""), (b, e) -> {
            double a = (e % 360) * Math.PI / 360;
            b.putFloat(0).putFloat((float) Math.sin(a)).putFloat(0).putFloat((float) Math.cos(a));
        }, 34962));
        attrs.append(",\"KHR_gaussian_splatting:ROTATION\":1");
        views.add(new View(12, count, acc("VEC3", 5126, count, ""), (b, e) -> b.putFloat(0.01f).putFloat(0.02f).putFloat(0.03f), 34962));
        attrs.append(",\"KHR_gaussian_splatting:SCALE\":2");
        views.add(new View(4, count, acc("SCALAR", 5126, count, ""), (b, e) -> b.putFloat((e % 100) / 100f), 34962));
        attrs.append(",\"KHR_gaussian_splatting:OPACITY\":3");
        int[] coefficients = {1, 3, 5, 7};
        int view = 4;
        for (int d = 0; d <= degree; d++) {
            for (int c = 0; c < coefficients[d]; c++) {
                float v = d == 0 ? 0.5f : 0.01f * c;
                views.add(new View(12, count, acc("VEC3", 5126, count, ""), (b, e) -> b.putFloat(v).putFloat(-v).putFloat(v), 34962));
                attrs.append(",\"KHR_gaussian_splatting:SH_DEGREE_").append(d).append("_COEF_").append(c).append("\":").append(view++);
            }
        }
        String json = "{\"asset\":{\"version\":\"2.0\",\"generator\":\"vsa TestGlb\"},"
                + "\"extensionsUsed\":[\"KHR_gaussian_splatting\"],\"scene\":0,\"scenes\":[{\"nodes\":[0]}],"
                + "\"nodes\":[{\"mesh\":0}],\"meshes\":[{\"primitives\":[{\"attributes\":{" + attrs + "},\"mode\":0,"
                + "\"extensions\":{\"KHR_gaussian_splatting\":{\"kernel\":\"ellipse\",\"colorSpace\":\"srgb_rec709_display\","
                + "\"projection\":\"perspective\",\"sortingMethod\":\"cameraDistance\"}}}]}],"
                + "\"accessors\":[$ACCESSORS],\"bufferViews\":[$BUFFERVIEWS],\"buffers\":[$BUFFERS]}";
        write(out, json, views);
    }

    /** {@code mesh FILE N} (N x N quads) or {@code splats FILE COUNT DEGREE}. */
    public static void main(String[] args) throws IOException {
        if (args[0].equals("mesh")) {
            mesh(Path.of(args[1]), Integer.parseInt(args[2]));
        } else {
            splats(Path.of(args[1]), Long.parseLong(args[2]), Integer.parseInt(args[3]));
        }
    }
}
