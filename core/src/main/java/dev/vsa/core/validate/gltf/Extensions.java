package dev.vsa.core.validate.gltf;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Khronos extensions whose JSON the Khronos validator checks and vsa checks the same way, table-driven:
 * material extensions, KHR_texture_transform, KHR_node_visibility and EXT_texture_webp (property names, types,
 * ranges, texture references and texture coordinates). KHR_gaussian_splatting and KHR_mesh_quantization are
 * handled by {@link Splatting} and {@link Linker}; any other extension is reported as UNSUPPORTED_EXTENSION.
 */
final class Extensions {
    private Extensions() {
    }

    enum Kind { NUM, LIST, TEXTURE, NORMAL_TEXTURE, TANGENT_TEXTURE, BOOL, UINT, INDEX }

    record Prop(String name, Kind kind, double min, double exclMin, double max, int length) {
        static Prop num(String name, double min, double max) {
            return new Prop(name, Kind.NUM, min, Double.NEGATIVE_INFINITY, max, 0);
        }

        static Prop list(String name, int length, double min, double max) {
            return new Prop(name, Kind.LIST, min, Double.NEGATIVE_INFINITY, max, length);
        }

        static Prop of(String name, Kind kind) {
            return new Prop(name, kind, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, 0);
        }
    }

    record Def(Set<String> kinds, List<Prop> props) {
    }

    private static final double INF = Double.POSITIVE_INFINITY;
    private static final double NINF = Double.NEGATIVE_INFINITY;
    private static final Set<String> MATERIAL = Set.of("Material");

    static final Map<String, Def> DEFS = Map.ofEntries(
            Map.entry("KHR_materials_anisotropy", new Def(MATERIAL, List.of(Prop.num("anisotropyStrength", 0, 1),
                    Prop.num("anisotropyRotation", NINF, INF), Prop.of("anisotropyTexture", Kind.TANGENT_TEXTURE)))),
            Map.entry("KHR_materials_clearcoat", new Def(MATERIAL, List.of(Prop.num("clearcoatFactor", 0, 1),
                    Prop.of("clearcoatTexture", Kind.TEXTURE), Prop.num("clearcoatRoughnessFactor", 0, 1),
                    Prop.of("clearcoatRoughnessTexture", Kind.TEXTURE), Prop.of("clearcoatNormalTexture", Kind.NORMAL_TEXTURE)))),
            Map.entry("KHR_materials_dispersion", new Def(MATERIAL, List.of(Prop.num("dispersion", 0, INF)))),
            Map.entry("KHR_materials_emissive_strength", new Def(MATERIAL, List.of(Prop.num("emissiveStrength", 0, INF)))),
            Map.entry("KHR_materials_ior", new Def(MATERIAL, List.of(Prop.num("ior", 1, INF)))),
            Map.entry("KHR_materials_iridescence", new Def(MATERIAL, List.of(Prop.num("iridescenceFactor", 0, 1),
                    Prop.of("iridescenceTexture", Kind.TEXTURE), Prop.num("iridescenceIor", 1, INF),
                    Prop.num("iridescenceThicknessMinimum", 0, INF), Prop.num("iridescenceThicknessMaximum", 0, INF),
                    Prop.of("iridescenceThicknessTexture", Kind.TEXTURE)))),
            Map.entry("KHR_materials_pbrSpecularGlossiness", new Def(MATERIAL, List.of(Prop.list("diffuseFactor", 4, 0, 1),
                    Prop.of("diffuseTexture", Kind.TEXTURE), Prop.list("specularFactor", 3, 0, 1),
                    Prop.num("glossinessFactor", 0, 1), Prop.of("specularGlossinessTexture", Kind.TEXTURE)))),
            Map.entry("KHR_materials_sheen", new Def(MATERIAL, List.of(Prop.list("sheenColorFactor", 3, 0, 1),
                    Prop.of("sheenColorTexture", Kind.TEXTURE), Prop.num("sheenRoughnessFactor", 0, 1),
                    Prop.of("sheenRoughnessTexture", Kind.TEXTURE)))),
            Map.entry("KHR_materials_specular", new Def(MATERIAL, List.of(Prop.num("specularFactor", 0, 1),
                    Prop.of("specularTexture", Kind.TEXTURE), Prop.list("specularColorFactor", 3, 0, INF),
                    Prop.of("specularColorTexture", Kind.TEXTURE)))),
            Map.entry("KHR_materials_transmission", new Def(MATERIAL, List.of(Prop.num("transmissionFactor", 0, 1),
                    Prop.of("transmissionTexture", Kind.TEXTURE)))),
            Map.entry("KHR_materials_unlit", new Def(MATERIAL, List.of())),
            Map.entry("KHR_materials_volume", new Def(MATERIAL, List.of(Prop.list("attenuationColor", 3, 0, 1),
                    new Prop("attenuationDistance", Kind.NUM, NINF, 0, INF, 0), Prop.num("thicknessFactor", 0, INF),
                    Prop.of("thicknessTexture", Kind.TEXTURE)))),
            Map.entry("KHR_node_visibility", new Def(Set.of("Node"), List.of(Prop.of("visible", Kind.BOOL)))),
            Map.entry("KHR_texture_transform", new Def(Set.of("TextureInfo"), List.of(Prop.list("offset", 2, NINF, INF),
                    Prop.num("rotation", NINF, INF), Prop.list("scale", 2, NINF, INF), Prop.of("texCoord", Kind.UINT)))),
            Map.entry("EXT_texture_webp", new Def(Set.of("Texture"), List.of(Prop.of("source", Kind.INDEX)))));

    /** Supported extension name to the object kinds it may extend. */
    static Map<String, Set<String>> supported() {
        Map<String, Set<String>> r = new HashMap<>();
        DEFS.forEach((k, v) -> r.put(k, v.kinds()));
        r.put(Splatting.NAME, Set.of("MeshPrimitive"));
        r.put(LIGHTS, Set.of("Gltf", "Node"));
        r.put(VARIANTS, Set.of("Gltf", "MeshPrimitive"));
        r.put(POINTER, Set.of("AnimationChannelTarget"));
        r.put(GltfParser.QUANTIZATION, Set.of());
        return Map.copyOf(r);
    }

    static final String LIGHTS = "KHR_lights_punctual";
    static final String VARIANTS = "KHR_materials_variants";
    static final String POINTER = "KHR_animation_pointer";
    private static final java.util.regex.Pattern JSON_POINTER = java.util.regex.Pattern.compile("^(?:/(?:[^/~]|~0|~1)*)*$");

    /** Whether {@link #parse} checks this extension's objects. */
    static boolean checked(String name) {
        return DEFS.containsKey(name) || name.equals(LIGHTS) || name.equals(VARIANTS) || name.equals(POINTER);
    }
    private static final double HALF_PI = 1.5707963267948966;

    /** Checks one extension object of {@code kind} (the context path is at the object). */
    static void parse(String name, String kind, ObjectNode map, GltfParser g) {
        if (name.equals(LIGHTS)) {
            lights(kind, map, g);
            return;
        }
        if (name.equals(VARIANTS)) {
            variants(kind, map, g);
            return;
        }
        if (name.equals(POINTER)) {
            // Only the pointer's syntax is checked (as the Khronos validator, which says its support is incomplete).
            J.checkMembers(map, Set.of("pointer"), g.ctx);
            J.str(map, "pointer", g.ctx, true, null, null, JSON_POINTER);
            if (g.currentChannel != null) {
                g.currentChannel.pointerExtension = g.ctx.pointer(null);
            }
            g.extensions(map, POINTER);
            J.extras(map, g.ctx);
            return;
        }
        Def def = DEFS.get(name);
        Ctx ctx = g.ctx;
        java.util.Set<String> members = new java.util.HashSet<>();
        def.props().forEach(p -> members.add(p.name()));
        J.checkMembers(map, members, ctx);
        for (Prop p : def.props()) {
            switch (p.kind()) {
                case NUM -> {
                    // KHR_materials_ior allows 0 (a "standalone" value) besides [1, inf).
                    boolean iorZero = p.name().equals("ior") && map.has("ior") && map.get("ior").isNumber()
                            && map.get("ior").asDouble() == 0;
                    if (!iorZero) {
                        J.num(map, p.name(), ctx, false, p.min(), p.exclMin(), p.max(), INF, Double.NaN);
                    }
                }
                case LIST -> J.floats(map, p.name(), ctx, false, p.min(), p.max(), new int[] {p.length()});
                case BOOL -> J.bool(map, p.name(), ctx, true);
                case UINT -> {
                    long tc = J.uint(map, p.name(), ctx, false, 0, -1);
                    if (tc != -1 && g.currentMaterial != null) {
                        g.currentMaterial.texCoordIndices.put(ctx.pointer(null), tc);
                    }
                }
                case INDEX -> {
                    long source = J.index(map, p.name(), ctx, false);
                    if (g.currentTexture != null) {
                        g.currentTexture.webpSourceIndex = source;
                    }
                }
                case TEXTURE, NORMAL_TEXTURE, TANGENT_TEXTURE -> {
                    if (g.currentMaterial != null) {
                        g.textureInfo(map, p.name(), g.currentMaterial,
                                p.kind() == Kind.TEXTURE ? 0 : p.kind() == Kind.NORMAL_TEXTURE ? 3 : 4);
                    }
                }
            }
        }
        g.extensions(map, name);
        J.extras(map, ctx);
    }

    /** KHR_lights_punctual: the root {@code lights} array and the node {@code light} reference. */
    private static void lights(String kind, ObjectNode map, GltfParser g) {
        Ctx ctx = g.ctx;
        if (kind.equals("Node")) {
            J.checkMembers(map, Set.of("light"), ctx);
            long light = J.index(map, "light", ctx, true);
            if (g.currentNode != null) {
                g.currentNode.lightIndex = light;
                g.currentNode.hasLight = true;
            }
            g.extensions(map, LIGHTS);
            J.extras(map, ctx);
            return;
        }
        J.checkMembers(map, Set.of("lights"), ctx);
        List<ObjectNode> lights = J.mapList(map, "lights", ctx);
        g.lightCount = lights == null ? 0 : lights.size();
        g.lightsUsed = new boolean[g.lightCount];
        if (lights != null) {
            ctx.push("lights");
            for (int i = 0; i < lights.size(); i++) {
                ctx.push(i);
                ObjectNode l = lights.get(i);
                J.checkMembers(l, Set.of("color", "intensity", "spot", "type", "range", "name"), ctx);
                J.floats(l, "color", ctx, false, 0, 1, new int[] {3});
                J.num(l, "intensity", ctx, false, 0, NINF, INF, INF, 1);
                String type = J.str(l, "type", ctx, true, List.of("directional", "point", "spot"), null, null);
                if ("spot".equals(type)) {
                    ObjectNode spot = J.inner(l, "spot", ctx, true);
                    if (spot != null) {
                        ctx.push("spot");
                        J.checkMembers(spot, Set.of("innerConeAngle", "outerConeAngle"), ctx);
                        double inner = J.num(spot, "innerConeAngle", ctx, false, 0, NINF, INF, HALF_PI, 0);
                        double outer = J.num(spot, "outerConeAngle", ctx, false, NINF, 0, HALF_PI, INF, 0.7853981633974483);
                        if (outer <= inner) {
                            ctx.issue(GltfIssue.KHR_LIGHTS_PUNCTUAL_LIGHT_SPOT_ANGLES, "outerConeAngle", inner, outer);
                        }
                        g.extensions(spot, "KHR_lights_punctual_spot");
                        J.extras(spot, ctx);
                        ctx.pop();
                    }
                } else if (l.has("spot")) {
                    ctx.issue(GltfIssue.EXTRA_PROPERTY, "spot");
                }
                double range = J.num(l, "range", ctx, false, NINF, 0, INF, INF, Double.NaN);
                if ("directional".equals(type) && !Double.isNaN(range)) {
                    ctx.issue(GltfIssue.EXTRA_PROPERTY, "range");
                }
                J.str(l, "name", ctx);
                g.extensions(l, "KHR_lights_punctual_light");
                J.extras(l, ctx);
                ctx.pop();
            }
            ctx.pop();
        }
        g.extensions(map, LIGHTS);
        J.extras(map, ctx);
    }

    /** One KHR_materials_variants mapping of a primitive. */
    record Mapping(String pointer, long[] variants, long material) {
    }

    /** KHR_materials_variants: the root {@code variants} and the primitives' {@code mappings}. */
    private static void variants(String kind, ObjectNode map, GltfParser g) {
        Ctx ctx = g.ctx;
        if (kind.equals("MeshPrimitive")) {
            J.checkMembers(map, Set.of("mappings"), ctx);
            List<ObjectNode> mappings = J.mapList(map, "mappings", ctx);
            if (mappings != null && g.currentPrimitive != null) {
                ctx.push("mappings");
                for (int i = 0; i < mappings.size(); i++) {
                    ctx.push(i);
                    ObjectNode m = mappings.get(i);
                    J.checkMembers(m, Set.of("variants", "material", "name"), ctx);
                    long[] variants = J.indices(m, "variants", ctx, true);
                    long material = J.index(m, "material", ctx, true);
                    J.str(m, "name", ctx);
                    g.extensions(m, "KHR_materials_variants_mapping");
                    J.extras(m, ctx);
                    g.currentPrimitive.variantMappings.add(new Mapping(ctx.pointer(null), variants, material));
                    ctx.pop();
                }
                ctx.pop();
            }
            g.extensions(map, VARIANTS);
            J.extras(map, ctx);
            return;
        }
        J.checkMembers(map, Set.of("variants"), ctx);
        List<ObjectNode> variants = J.mapList(map, "variants", ctx);
        g.variantCount = variants == null ? 0 : variants.size();
        g.variantsUsed = new boolean[g.variantCount];
        if (variants != null) {
            ctx.push("variants");
            for (int i = 0; i < variants.size(); i++) {
                ctx.push(i);
                ObjectNode v = variants.get(i);
                J.checkMembers(v, Set.of("name"), ctx);
                J.str(v, "name", ctx, true, null, null, null);
                g.extensions(v, "KHR_materials_variants_variant");
                J.extras(v, ctx);
                ctx.pop();
            }
            ctx.pop();
        }
        g.extensions(map, VARIANTS);
        J.extras(map, ctx);
    }
}
