package dev.vsa.core.validate.gltf;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The parsed glTF objects; invalid or absent numbers are -1, unresolved references null. */
final class Model {
    private Model() {
    }

    /** Common to every object: used mark and extensions. */
    abstract static class Obj {
        final int index;
        boolean used;
        Map<String, JsonNode> extensions = Map.of();
        JsonNode extras;

        Obj(int index) {
            this.index = index;
        }
    }

    static final class Buffer extends Obj {
        long byteLength = -1;
        boolean hasUri;
        String uri;            // a parsed, non-data URI
        byte[] dataUri;        // decoded data URI content
        ByteBuffer data;       // the bytes actually available (little-endian), or null
        /** When {@code data} maps a file: the file and where the buffer starts in it (bulk reads go here). */
        java.nio.channels.FileChannel channel;
        long channelOffset;

        Buffer(int index) {
            super(index);
        }
    }

    static final class BufferView extends Obj {
        long bufferIndex = -1;
        Buffer buffer;
        long byteOffset;
        long byteLength = -1;
        long byteStride = -1;
        long target = -1;
        String usage;
        long effectiveByteStride = -1;

        BufferView(int index) {
            super(index);
        }
    }

    static final class Sparse {
        long count = -1;
        long indicesView = -1;
        BufferView indicesBufferView;
        long indicesOffset;
        long indicesComponentType = -1;
        long valuesView = -1;
        BufferView valuesBufferView;
        long valuesOffset;
    }

    static final class Accessor extends Obj {
        long bufferViewIndex = -1;
        BufferView bufferView;
        long byteOffset;
        long componentType = -1;
        long count = -1;
        String type;
        boolean normalized;
        double[] min;
        double[] max;
        Sparse sparse;
        boolean hasSparseProperty;
        String usage;
        Boolean cubic;
        final List<Checker> checkers = new ArrayList<>();

        Accessor(int index) {
            super(index);
        }

        int components() {
            return Gl.typeLength(type);
        }

        int componentLength() {
            return Gl.componentLength(componentType);
        }

        boolean isFloat() {
            return componentType == Gl.FLOAT;
        }

        boolean matrixWithGaps() {
            boolean b = componentType == Gl.UNSIGNED_BYTE || componentType == Gl.BYTE;
            boolean s = componentType == Gl.UNSIGNED_SHORT || componentType == Gl.SHORT;
            return (b && ("MAT2".equals(type) || "MAT3".equals(type))) || (s && "MAT3".equals(type));
        }

        long elementLength() {
            boolean b = componentType == Gl.UNSIGNED_BYTE || componentType == Gl.BYTE;
            boolean s = componentType == Gl.UNSIGNED_SHORT || componentType == Gl.SHORT;
            if (b) {
                return "MAT2".equals(type) ? 6 : "MAT3".equals(type) ? 11 : components();
            }
            if (s) {
                return "MAT3".equals(type) ? 22 : 2L * components();
            }
            return 4L * components();
        }

        long byteStride() {
            if (bufferView != null && bufferView.byteStride != -1) {
                return bufferView.byteStride;
            }
            boolean b = componentType == Gl.UNSIGNED_BYTE || componentType == Gl.BYTE;
            boolean s = componentType == Gl.UNSIGNED_SHORT || componentType == Gl.SHORT;
            if (b) {
                return "MAT2".equals(type) ? 8 : "MAT3".equals(type) ? 12 : components();
            }
            if (s) {
                return "MAT3".equals(type) ? 24 : 2L * components();
            }
            return 4L * components();
        }

        long byteLength() {
            return Ranges.add(Ranges.multiply(byteStride(), count - 1), elementLength());
        }

        String format() {
            return format(type, componentType, normalized);
        }

        static String format(String type, long componentType, boolean normalized) {
            return "{" + type + ", " + Gl.typeName(componentType) + (normalized ? " normalized" : "") + "}";
        }

        double normalize(double v) {
            if (!normalized || componentType == Gl.FLOAT) {
                return v;
            }
            int width = componentLength() * 8;
            if (componentType == Gl.BYTE || componentType == Gl.SHORT) {
                return Math.max(v / ((1L << (width - 1)) - 1), -1);
            }
            return v / ((1L << width) - 1);
        }
    }

    static final class Image extends Obj {
        long bufferViewIndex = -1;
        BufferView bufferView;
        String mimeType;
        String uri;
        byte[] dataUri;
        dev.vsa.core.gltf.resource.ImageHeaders.Info info;

        Image(int index) {
            super(index);
        }
    }

    static final class Sampler extends Obj {
        Sampler(int index) {
            super(index);
        }
    }

    static final class Texture extends Obj {
        long samplerIndex = -1;
        long sourceIndex = -1;
        Image source;
        long webpSourceIndex = -1;
        Image webpSource;

        Texture(int index) {
            super(index);
        }
    }

    /** A textureInfo (or normal/occlusion) inside a material. */
    static final class TextureRef {
        final String pointer;
        final long index;
        final long texCoord;
        final boolean normal;

        TextureRef(String pointer, long index, long texCoord, boolean normal) {
            this.pointer = pointer;
            this.index = index;
            this.texCoord = texCoord;
            this.normal = normal;
        }
    }

    static final class Material extends Obj {
        final List<TextureRef> textures = new ArrayList<>();
        boolean needsTangent;
        boolean canProvideTangent;
        final Map<String, Long> texCoordIndices = new LinkedHashMap<>();

        Material(int index) {
            super(index);
        }
    }

    static final class Camera extends Obj {
        Camera(int index) {
            super(index);
        }
    }

    static final class Primitive {
        Map<String, Long> attributeIndices;
        long indicesIndex = -1;
        long materialIndex = -1;
        long mode = 4;
        List<Map<String, Long>> targetIndices;
        boolean hasPosition;
        boolean hasNormal;
        boolean hasTangent;
        int colorCount;
        int jointsCount;
        int weightsCount;
        int texCoordCount;
        final Map<String, Accessor> attributes = new LinkedHashMap<>();
        long count = -1;
        long vertexCount = -1;
        List<Map<String, Accessor>> targets;
        Accessor indices;
        Material material;
        boolean[] usedTexCoords;
        Map<String, JsonNode> extensions = Map.of();
        final List<Extensions.Mapping> variantMappings = new ArrayList<>();
        /** Parsed KHR_gaussian_splatting object, or null. */
        Splatting.Ext splat;
    }

    static final class Mesh extends Obj {
        List<Primitive> primitives;
        double[] weights;
        boolean weightsUsed;

        Mesh(int index) {
            super(index);
        }
    }

    static final class Node extends Obj {
        long cameraIndex = -1;
        long[] childrenIndices;
        long skinIndex = -1;
        long meshIndex = -1;
        double[] matrix;
        double[] translation;
        double[] rotation;
        double[] scale;
        double[] weights;
        Node parent;
        Mesh mesh;
        Skin skin;
        Camera camera;
        List<Node> children;
        boolean isJoint;
        boolean hasLight;
        long lightIndex = -1;
        final Set<Integer> scenes = new HashSet<>();

        Node(int index) {
            super(index);
        }

        boolean hasTransform() {
            return !((matrix == null || Matrices.isIdentity(matrix))
                    && (translation == null || (translation[0] == 0 && translation[1] == 0 && translation[2] == 0))
                    && (rotation == null || (rotation[0] == 0 && rotation[1] == 0 && rotation[2] == 0 && rotation[3] == 1))
                    && (scale == null || (scale[0] == 1 && scale[1] == 1 && scale[2] == 1)));
        }
    }

    static final class Skin extends Obj {
        long ibmIndex = -1;
        long skeletonIndex = -1;
        long[] jointIndices;
        List<Node> joints;
        Set<Node> commonRoots = new HashSet<>();
        List<Node> commonRootsOrdered = new ArrayList<>();

        Skin(int index) {
            super(index);
        }
    }

    static final class Scene extends Obj {
        long[] nodeIndices;

        Scene(int index) {
            super(index);
        }
    }

    static final class AnimSampler {
        long input = -1;
        long output = -1;
        String interpolation;
        Accessor inputAcc;
        Accessor outputAcc;
        boolean used;
    }

    static final class Channel {
        long sampler = -1;
        boolean hasTarget;
        long node = -1;
        String path;
        /** Pointer of this channel's KHR_animation_pointer object, or null. */
        String pointerExtension;
    }

    static final class Animation extends Obj {
        List<Channel> channels;
        List<AnimSampler> samplers;

        Animation(int index) {
            super(index);
        }
    }

    /** A per-element check run over an accessor's values (flat component index, component index, value). */
    interface Checker {
        void check(Ctx ctx, long index, int component, double value);

        /**
         * Checks a block of consecutive values: {@code values[0..n)} are flat indices {@code flat..flat+n}, the first
         * one of component {@code component} of {@code components}. Overridden by hot checkers with tight loops.
         */
        default void checkBlock(Ctx ctx, double[] values, int n, long flat, int component, int components) {
            int c = component;
            for (int i = 0; i < n; i++) {
                check(ctx, flat + i, c, values[i]);
                if (++c == components) {
                    c = 0;
                }
            }
        }

        default void done(Ctx ctx) {
        }
    }
}
