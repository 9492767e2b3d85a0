package dev.vsa.core.gltf;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;

/**
 * What a glTF or GLB file holds, from {@link GltfInspector#inspect}. Plain records that Jackson serialises as
 * they are (the CLI prints them with {@code --json} and as tables). Indices are glTF array indices; a null
 * field means the file does not say (or, for image sizes, the header could not be read).
 *
 * @param container          {@code "glb"} or {@code "gltf"}
 * @param fileSize           bytes of the inspected file itself (external resources not included)
 * @param asset              the {@code asset} object
 * @param extensionsUsed     {@code extensionsUsed}, distinct, in order
 * @param extensionsRequired {@code extensionsRequired}, distinct, in order
 * @param defaultScene       {@code scene}, or null
 * @param scenes             every scene
 * @param nodes              every node
 * @param meshes             every mesh with its primitives
 * @param materials          every material
 * @param textures           every texture, with its image's type and size
 * @param images             every image: where it is stored, type, size
 * @param animations         every animation
 * @param skins              every skin
 * @param bytes              bytes by what they hold
 * @param totals             counts defined as the Khronos glTF-Validator's {@code info} defines them
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"container", "fileSize", "asset", "extensionsUsed", "extensionsRequired", "defaultScene",
        "scenes", "nodes", "meshes", "materials", "textures", "images", "animations", "skins", "bytes", "totals"})
public record GltfInspection(String container, long fileSize, Asset asset, List<String> extensionsUsed,
                             List<String> extensionsRequired, Integer defaultScene, List<Scene> scenes,
                             List<Node> nodes, List<Mesh> meshes, List<Material> materials, List<Texture> textures,
                             List<Image> images, List<Animation> animations, List<Skin> skins, Bytes bytes,
                             Totals totals) {
    /** Copies the lists. */
    public GltfInspection {
        extensionsUsed = List.copyOf(extensionsUsed);
        extensionsRequired = List.copyOf(extensionsRequired);
        scenes = List.copyOf(scenes);
        nodes = List.copyOf(nodes);
        meshes = List.copyOf(meshes);
        materials = List.copyOf(materials);
        textures = List.copyOf(textures);
        images = List.copyOf(images);
        animations = List.copyOf(animations);
        skins = List.copyOf(skins);
    }

    /**
     * The {@code asset} object.
     *
     * @param version    {@code asset.version}, e.g. {@code "2.0"}, or null if missing
     * @param minVersion {@code asset.minVersion}, or null
     * @param generator  {@code asset.generator}, or null
     * @param copyright  {@code asset.copyright}, or null
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Asset(String version, String minVersion, String generator, String copyright) {
    }

    /**
     * A scene.
     *
     * @param name  its name, or null
     * @param nodes indices of its root nodes
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Scene(String name, List<Integer> nodes) {
        /** Copies the list. */
        public Scene {
            nodes = List.copyOf(nodes);
        }
    }

    /**
     * A node.
     *
     * @param name     its name, or null
     * @param mesh     its mesh, or null
     * @param skin     its skin, or null
     * @param camera   its camera, or null
     * @param children indices of its children
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Node(String name, Integer mesh, Integer skin, Integer camera, List<Integer> children) {
        /** Copies the list. */
        public Node {
            children = List.copyOf(children);
        }
    }

    /**
     * A mesh.
     *
     * @param name       its name, or null
     * @param primitives its primitives
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Mesh(String name, List<Primitive> primitives) {
        /** Copies the list. */
        public Mesh {
            primitives = List.copyOf(primitives);
        }
    }

    /**
     * A mesh primitive.
     *
     * @param mode        topology: 0 points, 1 lines, 2 line loop, 3 line strip, 4 triangles, 5 strip, 6 fan
     * @param modeName    {@code POINTS} ... {@code TRIANGLE_FAN}, or {@code UNKNOWN}
     * @param vertexCount count of its first attribute's accessor (the Khronos definition), or -1 if none
     * @param indexCount  count of its indices accessor, or null when not indexed
     * @param triangles   triangles it draws (from the index count, else the vertex count, and the mode)
     * @param attributes  attribute semantics, in file order ({@code POSITION}, {@code NORMAL}, ...)
     * @param material    its material, or null
     * @param targets     number of morph targets
     * @param extensions  names of its extensions ({@code KHR_gaussian_splatting}, {@code KHR_draco_mesh_compression})
     */
    @JsonPropertyOrder({"mode", "modeName", "vertexCount", "indexCount", "triangles", "attributes", "material",
            "targets", "extensions"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Primitive(int mode, String modeName, long vertexCount, Long indexCount, long triangles,
                            List<String> attributes, Integer material, int targets, List<String> extensions) {
        /** Copies the lists. */
        public Primitive {
            attributes = List.copyOf(attributes);
            extensions = List.copyOf(extensions);
        }
    }

    /**
     * A material.
     *
     * @param name        its name, or null
     * @param alphaMode   {@code OPAQUE}, {@code MASK} or {@code BLEND}
     * @param doubleSided whether back faces are drawn
     * @param textures    number of texture references in it (core and extensions)
     * @param extensions  names of its extensions
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Material(String name, String alphaMode, boolean doubleSided, int textures,
                           List<String> extensions) {
        /** Copies the list. */
        public Material {
            extensions = List.copyOf(extensions);
        }
    }

    /**
     * A texture.
     *
     * @param name     its name, or null
     * @param source   its image: {@code source}, or the {@code source} of an image extension
     *                 ({@code KHR_texture_basisu}, {@code EXT_texture_webp}, ...), or null
     * @param sampler  its sampler, or null
     * @param mimeType its image's type, or null
     * @param width    its image's width in pixels, or null
     * @param height   its image's height in pixels, or null
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Texture(String name, Integer source, Integer sampler, String mimeType, Integer width,
                          Integer height) {
    }

    /**
     * An image.
     *
     * @param name       its name, or null
     * @param storage    {@code buffer-view}, {@code data-uri} or {@code external}
     * @param uri        its external URI, or null
     * @param bufferView its bufferView, or null
     * @param mimeType   the declared type, else the type found in its header, or null
     * @param byteLength its bytes, or null if they could not be found
     * @param width      pixels, from its header, or null
     * @param height     pixels, from its header, or null
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Image(String name, String storage, String uri, Integer bufferView, String mimeType,
                        Long byteLength, Integer width, Integer height) {
    }

    /**
     * An animation.
     *
     * @param name     its name, or null
     * @param channels number of channels
     * @param samplers number of samplers
     * @param duration largest {@code max} of its input accessors in seconds, or null if none says
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Animation(String name, int channels, int samplers, Double duration) {
    }

    /**
     * A skin.
     *
     * @param name   its name, or null
     * @param joints number of joints
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Skin(String name, int joints) {
    }

    /**
     * Bytes by what they hold, summed over bufferViews by their use (a view used in two ways counts once, in
     * the first of: indices, geometry, animation, images, other). Images stored outside buffers (external
     * files, data URIs) count under images too.
     *
     * @param geometry  vertex attributes, morph targets, instancing and compressed geometry
     * @param indices   index buffers
     * @param images    images
     * @param animation animation inputs and outputs
     * @param other     everything else: skins' matrices, unused views
     * @param total     the sum
     */
    public record Bytes(long geometry, long indices, long images, long animation, long other, long total) {
    }

    /**
     * Totals, defined as the Khronos glTF-Validator defines its {@code info} fields.
     *
     * @param drawCallCount      primitives of all meshes
     * @param totalVertexCount   sum of primitives' vertex counts
     * @param totalTriangleCount sum of primitives' triangles
     * @param splatCount         vertices of primitives with {@code KHR_gaussian_splatting}
     */
    public record Totals(int drawCallCount, long totalVertexCount, long totalTriangleCount, long splatCount) {
    }
}
