package dev.vsa.core.validate.gltf;

import dev.vsa.core.validate.gltf.Model.Accessor;
import dev.vsa.core.validate.gltf.Model.AnimSampler;
import dev.vsa.core.validate.gltf.Model.Animation;
import dev.vsa.core.validate.gltf.Model.BufferView;
import dev.vsa.core.validate.gltf.Model.Channel;
import dev.vsa.core.validate.gltf.Model.Image;
import dev.vsa.core.validate.gltf.Model.Material;
import dev.vsa.core.validate.gltf.Model.Mesh;
import dev.vsa.core.validate.gltf.Model.Node;
import dev.vsa.core.validate.gltf.Model.Obj;
import dev.vsa.core.validate.gltf.Model.Primitive;
import dev.vsa.core.validate.gltf.Model.Scene;
import dev.vsa.core.validate.gltf.Model.Skin;
import dev.vsa.core.validate.gltf.Model.Texture;
import dev.vsa.core.validate.gltf.Model.TextureRef;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.vsa.core.validate.gltf.GltfParser.at;

/** Resolves references and checks what spans objects, in the Khronos validator's order. */
final class Linker {
    private static final Map<String, List<String>> CORE_ATTRIBUTE_FORMATS = Map.of(
            "POSITION", List.of(f("VEC3", Gl.FLOAT, false)),
            "NORMAL", List.of(f("VEC3", Gl.FLOAT, false)),
            "TANGENT", List.of(f("VEC4", Gl.FLOAT, false)),
            "TEXCOORD", List.of(f("VEC2", Gl.FLOAT, false), f("VEC2", Gl.UNSIGNED_BYTE, true), f("VEC2", Gl.UNSIGNED_SHORT, true)),
            "COLOR", List.of(f("VEC3", Gl.FLOAT, false), f("VEC3", Gl.UNSIGNED_BYTE, true), f("VEC3", Gl.UNSIGNED_SHORT, true),
                    f("VEC4", Gl.FLOAT, false), f("VEC4", Gl.UNSIGNED_BYTE, true), f("VEC4", Gl.UNSIGNED_SHORT, true)),
            "JOINTS", List.of(f("VEC4", Gl.UNSIGNED_BYTE, false), f("VEC4", Gl.UNSIGNED_SHORT, false)),
            "WEIGHTS", List.of(f("VEC4", Gl.FLOAT, false), f("VEC4", Gl.UNSIGNED_BYTE, true), f("VEC4", Gl.UNSIGNED_SHORT, true)));
    private static final Map<String, List<String>> CORE_MORPH_FORMATS = Map.of(
            "POSITION", List.of(f("VEC3", Gl.FLOAT, false)),
            "NORMAL", List.of(f("VEC3", Gl.FLOAT, false)),
            "TANGENT", List.of(f("VEC3", Gl.FLOAT, false)),
            "TEXCOORD", List.of(f("VEC2", Gl.FLOAT, false), f("VEC2", Gl.BYTE, true), f("VEC2", Gl.UNSIGNED_BYTE, true),
                    f("VEC2", Gl.SHORT, true), f("VEC2", Gl.UNSIGNED_SHORT, true)),
            "COLOR", List.of(f("VEC3", Gl.FLOAT, false), f("VEC3", Gl.BYTE, true), f("VEC3", Gl.UNSIGNED_BYTE, true),
                    f("VEC3", Gl.SHORT, true), f("VEC3", Gl.UNSIGNED_SHORT, true), f("VEC4", Gl.FLOAT, false),
                    f("VEC4", Gl.BYTE, true), f("VEC4", Gl.UNSIGNED_BYTE, true), f("VEC4", Gl.SHORT, true),
                    f("VEC4", Gl.UNSIGNED_SHORT, true)));
    private static final List<String> INDEX_FORMATS = List.of(f("SCALAR", Gl.UNSIGNED_BYTE, false),
            f("SCALAR", Gl.UNSIGNED_SHORT, false), f("SCALAR", Gl.UNSIGNED_INT, false));
    private static final String INPUT_FORMAT = f("SCALAR", Gl.FLOAT, false);
    private static final String IBM_FORMAT = f("MAT4", Gl.FLOAT, false);
    private static final Map<String, List<String>> OUTPUT_FORMATS = Map.of(
            "translation", List.of(f("VEC3", Gl.FLOAT, false)),
            "rotation", List.of(f("VEC4", Gl.FLOAT, false), f("VEC4", Gl.UNSIGNED_BYTE, true), f("VEC4", Gl.BYTE, true),
                    f("VEC4", Gl.UNSIGNED_SHORT, true), f("VEC4", Gl.SHORT, true)),
            "scale", List.of(f("VEC3", Gl.FLOAT, false)),
            "weights", List.of(f("SCALAR", Gl.FLOAT, false), f("SCALAR", Gl.UNSIGNED_BYTE, true), f("SCALAR", Gl.BYTE, true),
                    f("SCALAR", Gl.UNSIGNED_SHORT, true), f("SCALAR", Gl.SHORT, true)));

    private final GltfParser g;
    private final Ctx ctx;
    private final Map<String, List<String>> attributeFormats;
    private final Map<String, List<String>> morphFormats;

    Linker(GltfParser g) {
        this.g = g;
        this.ctx = g.ctx;
        if (g.loaded.contains(GltfParser.QUANTIZATION)) {
            attributeFormats = plus(CORE_ATTRIBUTE_FORMATS, Map.of(
                    "POSITION", List.of(f("VEC3", Gl.BYTE, false), f("VEC3", Gl.BYTE, true), f("VEC3", Gl.UNSIGNED_BYTE, false),
                            f("VEC3", Gl.UNSIGNED_BYTE, true), f("VEC3", Gl.SHORT, false), f("VEC3", Gl.SHORT, true),
                            f("VEC3", Gl.UNSIGNED_SHORT, false), f("VEC3", Gl.UNSIGNED_SHORT, true)),
                    "NORMAL", List.of(f("VEC3", Gl.BYTE, true), f("VEC3", Gl.SHORT, true)),
                    "TANGENT", List.of(f("VEC4", Gl.BYTE, true), f("VEC4", Gl.SHORT, true)),
                    "TEXCOORD", List.of(f("VEC2", Gl.BYTE, false), f("VEC2", Gl.BYTE, true), f("VEC2", Gl.UNSIGNED_BYTE, false),
                            f("VEC2", Gl.SHORT, false), f("VEC2", Gl.SHORT, true), f("VEC2", Gl.UNSIGNED_SHORT, false))));
            morphFormats = plus(CORE_MORPH_FORMATS, Map.of(
                    "POSITION", List.of(f("VEC3", Gl.BYTE, false), f("VEC3", Gl.BYTE, true), f("VEC3", Gl.SHORT, false),
                            f("VEC3", Gl.SHORT, true)),
                    "NORMAL", List.of(f("VEC3", Gl.BYTE, true), f("VEC3", Gl.SHORT, true)),
                    "TANGENT", List.of(f("VEC3", Gl.BYTE, true), f("VEC3", Gl.SHORT, true)),
                    "TEXCOORD", List.of(f("VEC2", Gl.BYTE, false), f("VEC2", Gl.SHORT, false))));
        } else {
            attributeFormats = CORE_ATTRIBUTE_FORMATS;
            morphFormats = CORE_MORPH_FORMATS;
        }
    }

    private static Map<String, List<String>> plus(Map<String, List<String>> base, Map<String, List<String>> extra) {
        Map<String, List<String>> r = new HashMap<>(base);
        extra.forEach((k, v) -> {
            List<String> l = new ArrayList<>(r.get(k));
            l.addAll(v);
            r.put(k, List.copyOf(l));
        });
        return Map.copyOf(r);
    }

    static String f(String type, int componentType, boolean normalized) {
        return Accessor.format(type, componentType, normalized);
    }

    void link() {
        ctx.clear();
        forEach("bufferViews", g.bufferViews, this::linkBufferView);
        forEach("accessors", g.accessors, this::linkAccessor);
        forEach("images", g.images, this::linkImage);
        forEach("textures", g.textures, this::linkTexture);
        forEach("materials", g.materials, this::linkMaterial);
        forEach("meshes", g.meshes, this::linkMesh);
        forEach("nodes", g.nodes, this::linkNode);
        forEach("skins", g.skins, this::linkSkin);
        forEach("animations", g.animations, this::linkAnimation);
        forEach("scenes", g.scenes, this::linkScene);
        ctx.clear();
        checkNodes();
        checkUnused();
    }

    private interface Link<T> {
        void link(T t);
    }

    private <T> void forEach(String name, List<T> list, Link<T> fn) {
        ctx.push(name);
        for (int i = 0; i < list.size(); i++) {
            T t = list.get(i);
            if (t != null) {
                ctx.push(i);
                fn.link(t);
                ctx.pop();
            }
        }
        ctx.pop();
    }

    private void linkBufferView(BufferView v) {
        v.buffer = at(g.buffers, v.bufferIndex);
        v.effectiveByteStride = v.byteStride;
        if (v.target == Gl.ARRAY_BUFFER) {
            v.usage = "VertexBuffer";
        } else if (v.target == Gl.ELEMENT_ARRAY_BUFFER) {
            v.usage = "IndexBuffer";
        }
        if (v.bufferIndex != -1) {
            if (v.buffer == null) {
                ctx.issue(GltfIssue.UNRESOLVED_REFERENCE, "buffer", v.bufferIndex);
            } else {
                v.buffer.used = true;
                if (v.buffer.byteLength != -1) {
                    if (v.byteOffset >= v.buffer.byteLength) {
                        ctx.issue(GltfIssue.BUFFER_VIEW_TOO_LONG, "byteOffset", v.bufferIndex, v.buffer.byteLength);
                    } else if (Ranges.add(v.byteOffset, v.byteLength) > v.buffer.byteLength) {
                        ctx.issue(GltfIssue.BUFFER_VIEW_TOO_LONG, "byteLength", v.bufferIndex, v.buffer.byteLength);
                    }
                }
            }
        }
    }

    /** The Khronos offset/length check; with report=false only answers whether the data can be read. */
    boolean checkOffsetAndLength(long byteOffset, long componentLength, long byteLength, BufferView view, long viewIndex,
                                 boolean report) {
        if (byteOffset == -1 || componentLength <= 0) {
            return false;
        }
        if (byteOffset % componentLength != 0) {
            if (!report) {
                return false;
            }
            ctx.issue(GltfIssue.ACCESSOR_OFFSET_ALIGNMENT, "byteOffset", byteOffset, componentLength);
        }
        if (view.byteOffset == -1) {
            return false;
        }
        // both are >= 0 here; their sum may pass 2^63, its remainder is that of the remainders' sum
        if ((view.byteOffset % componentLength + byteOffset % componentLength) % componentLength != 0) {
            if (!report) {
                return false;
            }
            ctx.issue(GltfIssue.ACCESSOR_TOTAL_OFFSET_ALIGNMENT, null, Ranges.exactSum(view.byteOffset, byteOffset),
                    componentLength);
        }
        if (byteOffset > view.byteLength) {
            if (!report) {
                return false;
            }
            ctx.issue(GltfIssue.ACCESSOR_TOO_LONG, "byteOffset", byteOffset, byteLength, viewIndex, view.byteLength);
        } else if (Ranges.add(byteOffset, byteLength) > view.byteLength) {
            if (!report) {
                return false;
            }
            ctx.issue(GltfIssue.ACCESSOR_TOO_LONG, null, byteOffset, byteLength, viewIndex, view.byteLength);
        }
        return true;
    }

    private void linkAccessor(Accessor a) {
        a.bufferView = at(g.bufferViews, a.bufferViewIndex);
        if (a.componentType == -1 || a.count == -1 || a.type == null) {
            return;
        }
        if (a.bufferViewIndex != -1) {
            if (a.bufferView == null) {
                ctx.issue(GltfIssue.UNRESOLVED_REFERENCE, "bufferView", a.bufferViewIndex);
            } else {
                a.bufferView.used = true;
                if (a.bufferView.byteStride != -1 && a.bufferView.byteStride < a.elementLength()) {
                    ctx.issue(GltfIssue.ACCESSOR_SMALL_BYTESTRIDE, null, a.bufferView.byteStride, a.elementLength());
                }
                checkOffsetAndLength(a.byteOffset, a.componentLength(), a.byteLength(), a.bufferView, a.bufferViewIndex, true);
            }
        }
        Model.Sparse s = a.sparse;
        if (s == null || s.count == -1) {
            return;
        }
        ctx.push("sparse");
        if (s.count > a.count) {
            ctx.issue(GltfIssue.ACCESSOR_SPARSE_COUNT_OUT_OF_RANGE, "count", s.count, a.count);
        }
        s.valuesBufferView = at(g.bufferViews, s.valuesView);
        ctx.push("indices");
        if (s.indicesView != -1) {
            s.indicesBufferView = at(g.bufferViews, s.indicesView);
            if (s.indicesBufferView == null) {
                ctx.issue(GltfIssue.UNRESOLVED_REFERENCE, "bufferView", s.indicesView);
            } else {
                g.setUsage(s.indicesBufferView, "Other", "bufferView");
                if (s.indicesBufferView.byteStride != -1) {
                    ctx.issue(GltfIssue.BUFFER_VIEW_INVALID_BYTE_STRIDE, "bufferView");
                }
                if (s.indicesComponentType != -1) {
                    int cl = Gl.componentLength(s.indicesComponentType);
                    checkOffsetAndLength(s.indicesOffset, cl, Ranges.multiply(cl, s.count), s.indicesBufferView, s.indicesView,
                            true);
                }
            }
        }
        ctx.pop();
        ctx.push("values");
        if (s.valuesView != -1) {
            if (s.valuesBufferView == null) {
                ctx.issue(GltfIssue.UNRESOLVED_REFERENCE, "bufferView", s.valuesView);
            } else {
                g.setUsage(s.valuesBufferView, "Other", "bufferView");
                if (s.valuesBufferView.byteStride != -1) {
                    ctx.issue(GltfIssue.BUFFER_VIEW_INVALID_BYTE_STRIDE, "bufferView");
                }
                int cl = a.componentLength();
                checkOffsetAndLength(s.valuesOffset, cl, Ranges.multiply((long) cl * a.components(), s.count), s.valuesBufferView,
                        s.valuesView, true);
            }
        }
        ctx.pop();
        ctx.pop();
    }

    private void linkImage(Image img) {
        if (img.bufferViewIndex != -1) {
            img.bufferView = at(g.bufferViews, img.bufferViewIndex);
            if (img.bufferView == null) {
                ctx.issue(GltfIssue.UNRESOLVED_REFERENCE, "bufferView", img.bufferViewIndex);
            } else {
                g.setUsage(img.bufferView, "Image", "bufferView");
                if (img.bufferView.byteStride != -1) {
                    ctx.issue(GltfIssue.IMAGE_BUFFER_VIEW_WITH_BYTESTRIDE, "bufferView");
                }
            }
        }
    }

    private void linkTexture(Texture t) {
        t.source = at(g.images, t.sourceIndex);
        Obj sampler = at(g.samplers, t.samplerIndex);
        if (t.sourceIndex != -1) {
            if (t.source == null) {
                ctx.issue(GltfIssue.UNRESOLVED_REFERENCE, "source", t.sourceIndex);
            } else {
                t.source.used = true;
            }
        }
        if (t.webpSourceIndex != -1) {
            t.webpSource = at(g.images, t.webpSourceIndex);
            if (t.webpSource == null) {
                ctx.issueAt(ctx.pointer("extensions") + "/EXT_texture_webp/source", GltfIssue.UNRESOLVED_REFERENCE,
                        t.webpSourceIndex);
            } else {
                t.webpSource.used = true;
            }
        }
        if (t.samplerIndex != -1) {
            if (sampler == null) {
                ctx.issue(GltfIssue.UNRESOLVED_REFERENCE, "sampler", t.samplerIndex);
            } else {
                sampler.used = true;
            }
        }
    }

    private void linkMaterial(Material m) {
        for (TextureRef ref : m.textures) {
            Texture t = at(g.textures, ref.index);
            if (ref.index != -1) {
                if (t == null) {
                    ctx.issueAt(ref.pointer + "/index", GltfIssue.UNRESOLVED_REFERENCE, ref.index);
                } else {
                    t.used = true;
                }
            }
            if (ref.normal) {
                m.needsTangent = true;
            }
            m.texCoordIndices.put(ref.pointer, ref.texCoord);
        }
    }

    private void linkMesh(Mesh mesh) {
        if (mesh.primitives == null) {
            return;
        }
        ctx.push("primitives");
        for (int i = 0; i < mesh.primitives.size(); i++) {
            ctx.push(i);
            linkPrimitive(mesh.primitives.get(i));
            ctx.pop();
        }
        ctx.pop();
    }

    private static String semanticGroup(String semantic) {
        int u = semantic.indexOf('_');
        return u < 0 ? semantic : semantic.substring(0, u);
    }

    private void checkAccessorRefs(Accessor a, String semantic) {
        if (a.bufferView.byteStride == -1) {
            Set<Accessor> set = g.bufferViewAccessors.computeIfAbsent(a.bufferView, k -> new LinkedHashSet<>());
            if (set.add(a) && set.size() > 1) {
                ctx.issue(GltfIssue.MESH_PRIMITIVE_ACCESSOR_WITHOUT_BYTESTRIDE, semantic);
            }
        }
    }

    private void linkPrimitive(Primitive p) {
        if (p.attributeIndices != null) {
            ctx.push("attributes");
            for (var e : p.attributeIndices.entrySet()) {
                String semantic = e.getKey();
                long idx = e.getValue();
                if (idx == -1) {
                    continue;
                }
                Accessor a = at(g.accessors, idx);
                if (a == null) {
                    ctx.issue(GltfIssue.UNRESOLVED_REFERENCE, semantic, idx);
                    continue;
                }
                p.attributes.put(semantic, a);
                g.setUsage(a, "VertexAttribute", semantic);
                if (a.bufferView != null) {
                    g.setUsage(a.bufferView, "VertexBuffer", semantic);
                }
                if (semantic.equals("POSITION") && (a.min == null || a.max == null)) {
                    ctx.issue(GltfIssue.MESH_PRIMITIVE_POSITION_ACCESSOR_WITHOUT_BOUNDS, "POSITION");
                }
                String format = a.format();
                List<String> valid = p.splat != null && semantic.startsWith(Splatting.PREFIX)
                        ? Splatting.formats(semantic) : attributeFormats.get(semanticGroup(semantic));
                if (valid != null) {
                    if (!valid.contains(format)) {
                        ctx.issue(GltfIssue.MESH_PRIMITIVE_ATTRIBUTES_ACCESSOR_INVALID_FORMAT, semantic, format, valid);
                    } else if (semantic.equals("NORMAL")) {
                        ctx.push("NORMAL");
                        a.checkers.add(new Checks.UnitVec3(ctx.pointer(null), a.isFloat() ? null : a));
                        ctx.pop();
                    } else if (semantic.equals("TANGENT")) {
                        ctx.push("TANGENT");
                        a.checkers.add(new Checks.UnitVec3Sign(ctx.pointer(null), a.isFloat() ? null : a));
                        ctx.pop();
                    } else if (semantic.equals("COLOR_0") && a.componentType == Gl.FLOAT) {
                        a.checkers.add(Checks.clamped(ctx.pointer(semantic)));
                    } else if (p.splat != null && semantic.startsWith(Splatting.PREFIX)) {
                        Splatting.addCheckers(semantic, a, ctx.pointer(semantic));
                    }
                } else if (a.componentType == Gl.UNSIGNED_INT) {
                    ctx.issue(GltfIssue.MESH_PRIMITIVE_ATTRIBUTES_ACCESSOR_UNSIGNED_INT, semantic);
                }
                if ((a.byteOffset != -1 && a.byteOffset % 4 != 0)
                        || (a.componentType != -1 && a.type != null && a.elementLength() % 4 != 0
                        && a.bufferView != null && a.bufferView.byteStride == -1)) {
                    ctx.issue(GltfIssue.MESH_PRIMITIVE_ACCESSOR_UNALIGNED, semantic);
                }
                if (p.vertexCount == -1) {
                    p.vertexCount = a.count;
                    p.count = p.vertexCount;
                } else if (p.vertexCount != a.count) {
                    ctx.issue(GltfIssue.MESH_PRIMITIVE_UNEQUAL_ACCESSOR_COUNT, semantic);
                }
                if (a.bufferView != null && a.bufferView.byteStride == -1) {
                    if (a.bufferView.effectiveByteStride == -1 && a.type != null && a.componentType != -1) {
                        a.bufferView.effectiveByteStride = a.elementLength();
                    }
                    checkAccessorRefs(a, semantic);
                }
            }
            ctx.pop();
        }
        if (p.indicesIndex != -1) {
            p.indices = at(g.accessors, p.indicesIndex);
            if (p.indices == null) {
                ctx.issue(GltfIssue.UNRESOLVED_REFERENCE, "indices", p.indicesIndex);
            } else {
                Accessor ind = p.indices;
                p.count = ind.count;
                g.setUsage(ind, "PrimitiveIndices", "indices");
                if (ind.bufferView != null) {
                    g.setUsage(ind.bufferView, "IndexBuffer", "indices");
                }
                ctx.push("indices");
                if (ind.bufferView != null && ind.bufferView.byteStride != -1) {
                    ctx.issue(GltfIssue.MESH_PRIMITIVE_INDICES_ACCESSOR_WITH_BYTESTRIDE, null);
                }
                String format = ind.format();
                if (!INDEX_FORMATS.contains(format)) {
                    ctx.issue(GltfIssue.MESH_PRIMITIVE_INDICES_ACCESSOR_INVALID_FORMAT, null, format, INDEX_FORMATS);
                } else {
                    long maxVertexIndex = p.vertexCount != -1 ? p.vertexCount - 1 : -1;
                    if (p.mode != -1) {
                        ind.checkers.add(new Checks.Indices(ctx.pointer(null), maxVertexIndex, p.count / 3,
                                (int) p.mode, ind.componentType));
                    } else if (maxVertexIndex >= -1) {
                        ind.checkers.add(new Checks.Indices(ctx.pointer(null), maxVertexIndex, p.count / 3, -1,
                                ind.componentType));
                    }
                }
                ctx.pop();
            }
        }
        long c = p.count;
        long m = p.mode;
        if (c != -1 && ((m == 1 && c % 2 != 0) || ((m == 2 || m == 3) && c < 2) || (m == 4 && c % 3 != 0)
                || ((m == 5 || m == 6) && c < 3))) {
            ctx.issue(GltfIssue.MESH_PRIMITIVE_INCOMPATIBLE_MODE, null, c, Gl.MODES[(int) m]);
        }
        p.material = at(g.materials, p.materialIndex);
        if (p.materialIndex != -1) {
            if (p.material == null) {
                ctx.issue(GltfIssue.UNRESOLVED_REFERENCE, "material", p.materialIndex);
            } else {
                Material mat = p.material;
                mat.used = true;
                if (!(p.hasNormal && p.hasTangent) && mat.needsTangent) {
                    ctx.issue(mat.canProvideTangent ? GltfIssue.MESH_PRIMITIVE_GENERATED_TANGENT_SPACE
                            : GltfIssue.MESH_PRIMITIVE_NO_TANGENT_SPACE, "material");
                }
                for (var e : mat.texCoordIndices.entrySet()) {
                    long tc = e.getValue();
                    if (tc != -1) {
                        if (tc >= p.texCoordCount) { // not tc + 1 >: tc may be 2^63 - 1
                            ctx.issue(GltfIssue.MESH_PRIMITIVE_TOO_FEW_TEXCOORDS, "material", e.getKey(), tc);
                        } else {
                            p.usedTexCoords[(int) tc] = true;
                        }
                    }
                }
            }
        }
        linkVariants(p);
        if (p.hasTangent && (p.material == null || !p.material.needsTangent)) {
            ctx.push("attributes");
            ctx.issue(GltfIssue.UNUSED_MESH_TANGENT, "TANGENT");
            ctx.pop();
        }
        for (int i = 0; i < p.usedTexCoords.length; i++) {
            if (!p.usedTexCoords[i]) {
                ctx.push("attributes");
                ctx.issue(GltfIssue.UNUSED_OBJECT, "TEXCOORD_" + i);
                ctx.pop();
            }
        }
        if (p.targetIndices != null) {
            ctx.push("targets");
            p.targets = new ArrayList<>();
            for (int i = 0; i < p.targetIndices.size(); i++) {
                ctx.push(i);
                Map<String, Accessor> target = new HashMap<>();
                for (var e : p.targetIndices.get(i).entrySet()) {
                    String semantic = e.getKey();
                    long idx = e.getValue();
                    if (idx == -1) {
                        continue;
                    }
                    Accessor a = at(g.accessors, idx);
                    if (a == null) {
                        ctx.issue(GltfIssue.UNRESOLVED_REFERENCE, semantic, idx);
                        continue;
                    }
                    g.setUsage(a, "VertexAttribute", semantic);
                    if (a.bufferView != null) {
                        g.setUsage(a.bufferView, "VertexBuffer", semantic);
                    }
                    Accessor base = p.attributes.get(semantic);
                    if (base == null) {
                        ctx.issue(GltfIssue.MESH_PRIMITIVE_MORPH_TARGET_NO_BASE_ACCESSOR, semantic);
                    } else if (base.count != a.count) {
                        ctx.issue(GltfIssue.MESH_PRIMITIVE_MORPH_TARGET_INVALID_ATTRIBUTE_COUNT, semantic);
                    }
                    if (semantic.equals("POSITION") && (a.min == null || a.max == null)) {
                        ctx.issue(GltfIssue.MESH_PRIMITIVE_POSITION_ACCESSOR_WITHOUT_BOUNDS, "POSITION");
                    }
                    List<String> valid = morphFormats.get(semanticGroup(semantic));
                    if (valid != null && !valid.contains(a.format())) {
                        ctx.issue(GltfIssue.MESH_PRIMITIVE_ATTRIBUTES_ACCESSOR_INVALID_FORMAT, semantic, a.format(), valid);
                    }
                    if ((a.byteOffset != -1 && a.byteOffset % 4 != 0)
                            || (a.componentType != -1 && a.type != null && a.elementLength() % 4 != 0
                            && a.bufferView != null && a.bufferView.byteStride == -1)) {
                        ctx.issue(GltfIssue.MESH_PRIMITIVE_ACCESSOR_UNALIGNED, semantic);
                    }
                    if (a.bufferView != null && a.bufferView.byteStride == -1) {
                        if (a.bufferView.effectiveByteStride == -1 && a.type != null && a.componentType != -1) {
                            a.bufferView.effectiveByteStride = a.elementLength();
                        }
                        checkAccessorRefs(a, semantic);
                    }
                    target.put(semantic, a);
                }
                p.targets.add(target);
                ctx.pop();
            }
            ctx.pop();
        }
        if (p.splat != null) {
            Splatting.link(p, ctx);
        }
    }

    private void linkVariants(Primitive p) {
        Set<Long> unique = new HashSet<>();
        for (Extensions.Mapping m : p.variantMappings) {
            if (g.variantCount < 0) {
                ctx.issueAt(m.pointer(), GltfIssue.UNSATISFIED_DEPENDENCY, "/extensions/" + Extensions.VARIANTS);
                continue;
            }
            if (m.variants() != null) {
                for (int k = 0; k < m.variants().length; k++) {
                    long v = m.variants()[k];
                    if (v == -1) {
                        continue;
                    }
                    if (!unique.add(v)) {
                        ctx.issueAt(m.pointer() + "/variants/" + k, GltfIssue.KHR_MATERIALS_VARIANTS_NON_UNIQUE_VARIANT);
                    }
                    if (v >= g.variantCount) {
                        ctx.issueAt(m.pointer() + "/variants/" + k, GltfIssue.UNRESOLVED_REFERENCE, v);
                    } else {
                        g.variantsUsed[(int) v] = true;
                    }
                }
            }
            if (m.material() != -1) {
                Material mat = at(g.materials, m.material());
                if (mat == null) {
                    ctx.issueAt(m.pointer() + "/material", GltfIssue.UNRESOLVED_REFERENCE, m.material());
                } else {
                    mat.used = true;
                    for (var e : mat.texCoordIndices.entrySet()) {
                        long tc = e.getValue();
                        if (tc != -1) {
                            if (tc >= p.texCoordCount) { // not tc + 1 >: tc may be 2^63 - 1
                                ctx.issueAt(m.pointer() + "/material", GltfIssue.MESH_PRIMITIVE_TOO_FEW_TEXCOORDS, e.getKey(), tc);
                            } else {
                                p.usedTexCoords[(int) tc] = true;
                            }
                        }
                    }
                }
            }
        }
    }

    private void linkNode(Node n) {
        n.camera = at(g.cameras, n.cameraIndex);
        n.skin = at(g.skins, n.skinIndex);
        n.mesh = at(g.meshes, n.meshIndex);
        if (n.cameraIndex != -1) {
            if (n.camera == null) {
                ctx.issue(GltfIssue.UNRESOLVED_REFERENCE, "camera", n.cameraIndex);
            } else {
                n.camera.used = true;
            }
        }
        if (n.skinIndex != -1) {
            if (n.skin == null) {
                ctx.issue(GltfIssue.UNRESOLVED_REFERENCE, "skin", n.skinIndex);
            } else {
                n.skin.used = true;
            }
        }
        if (n.meshIndex != -1) {
            if (n.mesh == null) {
                ctx.issue(GltfIssue.UNRESOLVED_REFERENCE, "mesh", n.meshIndex);
            } else {
                n.mesh.used = true;
                if (n.mesh.primitives != null) {
                    Primitive first = n.mesh.primitives.get(0);
                    Integer targets = first.targets == null ? null : first.targets.size();
                    if (n.weights != null && (targets == null || targets != n.weights.length)) {
                        ctx.issue(GltfIssue.NODE_WEIGHTS_INVALID, "weights", n.weights.length, targets == null ? 0 : targets);
                    }
                    if (n.weights == null && n.mesh.weights != null) {
                        n.mesh.weightsUsed = true;
                    }
                    if (n.skin != null) {
                        if (n.mesh.primitives.stream().allMatch(pr -> pr.jointsCount == 0)) {
                            ctx.issue(GltfIssue.NODE_SKIN_WITH_NON_SKINNED_MESH, null);
                        }
                    } else if (n.mesh.primitives.stream().anyMatch(pr -> pr.jointsCount != 0)) {
                        ctx.issue(GltfIssue.NODE_SKINNED_MESH_WITHOUT_SKIN, null);
                    }
                }
            }
        }
        if (n.hasLight) {
            ctx.push("extensions");
            ctx.push(Extensions.LIGHTS);
            if (g.lightCount < 0) {
                ctx.issue(GltfIssue.UNSATISFIED_DEPENDENCY, null, "/extensions/" + Extensions.LIGHTS);
            } else if (n.lightIndex != -1) {
                if (n.lightIndex >= g.lightCount) {
                    ctx.issue(GltfIssue.UNRESOLVED_REFERENCE, "light", n.lightIndex);
                } else {
                    g.lightsUsed[(int) n.lightIndex] = true;
                }
            }
            ctx.pop();
            ctx.pop();
        }
        if (n.childrenIndices != null) {
            n.children = new ArrayList<>();
            ctx.push("children");
            for (int i = 0; i < n.childrenIndices.length; i++) {
                long ci = n.childrenIndices[i];
                if (ci == -1) {
                    continue;
                }
                Node child = at(g.nodes, ci);
                if (child == null) {
                    ctx.issue(GltfIssue.UNRESOLVED_REFERENCE, i, ci);
                    continue;
                }
                child.used = true;
                n.children.add(child);
                if (child.parent != null) {
                    ctx.issue(GltfIssue.NODE_PARENT_OVERRIDE, i, ci);
                }
                child.parent = n;
            }
            ctx.pop();
        }
    }

    private void linkSkin(Skin s) {
        Accessor ibm = at(g.accessors, s.ibmIndex);
        Node skeleton = at(g.nodes, s.skeletonIndex);
        if (s.jointIndices != null) {
            s.joints = new ArrayList<>();
            ctx.push("joints");
            // Common roots = the intersection of the joints' ancestor-or-self chains: the first joint's chain from
            // the deepest node every other joint reaches. Each node is walked at most once (memo), so a deep
            // hierarchy with many joints stays linear.
            List<Node> chain = null;
            Map<Node, Integer> position = new HashMap<>();
            Map<Node, Integer> reach = new HashMap<>();
            int lca = 0;
            boolean disjoint = false;
            for (int i = 0; i < s.jointIndices.length; i++) {
                long ji = s.jointIndices[i];
                if (ji == -1) {
                    continue;
                }
                Node node = at(g.nodes, ji);
                if (node == null) {
                    ctx.issue(GltfIssue.UNRESOLVED_REFERENCE, i, ji);
                    continue;
                }
                node.used = true;
                node.isJoint = true;
                s.joints.add(node);
                if (chain == null) {
                    chain = new ArrayList<>();
                    for (Node t = node; t != null && !position.containsKey(t) && ctx.spend(1); t = t.parent) {
                        position.put(t, chain.size());
                        chain.add(t);
                    }
                    continue;
                }
                if (disjoint) {
                    continue;
                }
                List<Node> walked = new ArrayList<>();
                Set<Node> seen = new HashSet<>();
                int hit = -1;
                for (Node t = node; t != null && seen.add(t) && ctx.spend(1); t = t.parent) {
                    Integer p = position.get(t);
                    if (p == null) {
                        p = reach.get(t);
                    }
                    if (p != null) {
                        hit = p;
                        break;
                    }
                    walked.add(t);
                }
                if (hit < 0) {
                    disjoint = true;
                    continue;
                }
                for (Node w : walked) {
                    reach.put(w, hit);
                }
                lca = Math.max(lca, hit);
            }
            if (chain != null && !disjoint) {
                for (int k = lca; k < chain.size(); k++) {
                    s.commonRootsOrdered.add(chain.get(k));
                    s.commonRoots.add(chain.get(k));
                }
            }
            ctx.pop();
            if (s.commonRoots.isEmpty()) {
                ctx.issue(GltfIssue.SKIN_NO_COMMON_ROOT, "joints");
            }
        }
        if (s.ibmIndex != -1) {
            if (ibm == null) {
                ctx.issue(GltfIssue.UNRESOLVED_REFERENCE, "inverseBindMatrices", s.ibmIndex);
            } else {
                g.setUsage(ibm, "IBM", "inverseBindMatrices");
                if (ibm.bufferView != null) {
                    g.setUsage(ibm.bufferView, "IBM", "inverseBindMatrices");
                }
                ctx.push("inverseBindMatrices");
                if (ibm.bufferView != null && ibm.bufferView.byteStride != -1) {
                    ctx.issue(GltfIssue.SKIN_IBM_ACCESSOR_WITH_BYTESTRIDE, null);
                }
                if (!IBM_FORMAT.equals(ibm.format())) {
                    ctx.issue(GltfIssue.SKIN_IBM_INVALID_FORMAT, null, ibm.format(), List.of(IBM_FORMAT));
                } else {
                    ibm.checkers.add(new Checks.Ibm(ctx.pointer(null)));
                }
                if (s.joints != null && ibm.count < s.joints.size()) {
                    ctx.issue(GltfIssue.INVALID_IBM_ACCESSOR_COUNT, null, s.joints.size(), ibm.count);
                }
                ctx.pop();
            }
        }
        if (s.skeletonIndex != -1) {
            if (skeleton == null) {
                ctx.issue(GltfIssue.UNRESOLVED_REFERENCE, "skeleton", s.skeletonIndex);
            } else if (!s.commonRoots.contains(skeleton)) {
                ctx.issue(GltfIssue.SKIN_SKELETON_INVALID, "skeleton");
            }
        }
    }

    private void linkAnimation(Animation an) {
        if (an.samplers == null || an.channels == null) {
            return;
        }
        ctx.push("samplers");
        for (int i = 0; i < an.samplers.size(); i++) {
            AnimSampler s = an.samplers.get(i);
            ctx.push(i);
            s.inputAcc = at(g.accessors, s.input);
            s.outputAcc = at(g.accessors, s.output);
            if (s.input != -1) {
                if (s.inputAcc == null) {
                    ctx.issue(GltfIssue.UNRESOLVED_REFERENCE, "input", s.input);
                } else {
                    Accessor in = s.inputAcc;
                    g.setUsage(in, "AnimationInput", "input");
                    if (in.bufferView != null) {
                        g.setUsage(in.bufferView, "Other", "input");
                        if (in.bufferView.byteStride != -1) {
                            ctx.issue(GltfIssue.ANIMATION_SAMPLER_ACCESSOR_WITH_BYTESTRIDE, "input");
                        }
                    }
                    ctx.push("input");
                    if (!INPUT_FORMAT.equals(in.format())) {
                        ctx.issue(GltfIssue.ANIMATION_SAMPLER_INPUT_ACCESSOR_INVALID_FORMAT, null, in.format(), List.of(INPUT_FORMAT));
                    } else {
                        in.checkers.add(new Checks.AnimationInput(ctx.pointer(null)));
                    }
                    if (in.min == null || in.max == null) {
                        ctx.issue(GltfIssue.ANIMATION_SAMPLER_INPUT_ACCESSOR_WITHOUT_BOUNDS, null);
                    }
                    if ("CUBICSPLINE".equals(s.interpolation) && in.count < 2) {
                        ctx.issue(GltfIssue.ANIMATION_SAMPLER_INPUT_ACCESSOR_TOO_FEW_ELEMENTS, null, "CUBICSPLINE", 2, in.count);
                    }
                    ctx.pop();
                }
            }
            if (s.output != -1) {
                if (s.outputAcc == null) {
                    ctx.issue(GltfIssue.UNRESOLVED_REFERENCE, "output", s.output);
                } else {
                    Accessor out = s.outputAcc;
                    g.setUsage(out, "AnimationOutput", "output");
                    if (out.bufferView != null) {
                        g.setUsage(out.bufferView, "Other", "output");
                        if (out.bufferView.byteStride != -1) {
                            ctx.issue(GltfIssue.ANIMATION_SAMPLER_ACCESSOR_WITH_BYTESTRIDE, "output");
                        }
                    }
                }
            }
            ctx.pop();
        }
        ctx.pop();
        ctx.push("channels");
        Map<String, Integer> lastByTarget = new HashMap<>();
        List<int[]> duplicates = new ArrayList<>();
        for (int i = 0; i < an.channels.size(); i++) {
            Channel ch = an.channels.get(i);
            if (ch.hasTarget && ch.node != -1) {
                String key = ch.node + "/" + ch.path;
                Integer prev = lastByTarget.put(key, i);
                if (prev != null) {
                    duplicates.add(new int[] {prev, i});
                }
            }
        }
        Map<Integer, Integer> nextSame = new HashMap<>();
        for (int[] d : duplicates) {
            nextSame.put(d[0], d[1]);
        }
        for (int i = 0; i < an.channels.size(); i++) {
            Channel ch = an.channels.get(i);
            ctx.push(i);
            AnimSampler sampler = ch.sampler < 0 || ch.sampler >= an.samplers.size() ? null : an.samplers.get((int) ch.sampler);
            Node node = null;
            if (ch.pointerExtension != null) {
                ctx.issueAt(ch.pointerExtension, GltfIssue.INCOMPLETE_EXTENSION_SUPPORT);
                if (at(g.nodes, ch.node) != null) {
                    ctx.issueAt(ch.pointerExtension, GltfIssue.KHR_ANIMATION_POINTER_ANIMATION_CHANNEL_TARGET_NODE);
                }
                if (!"pointer".equals(ch.path)) {
                    ctx.issueAt(ch.pointerExtension, GltfIssue.KHR_ANIMATION_POINTER_ANIMATION_CHANNEL_TARGET_PATH, ch.path);
                }
            }
            if (ch.hasTarget) {
                node = at(g.nodes, ch.node);
                if (ch.node != -1) {
                    ctx.push("target");
                    if (node == null) {
                        ctx.issue(GltfIssue.UNRESOLVED_REFERENCE, "node", ch.node);
                    } else {
                        node.used = true;
                        if ("translation".equals(ch.path) || "rotation".equals(ch.path) || "scale".equals(ch.path)) {
                            if (node.matrix != null) {
                                ctx.issue(GltfIssue.ANIMATION_CHANNEL_TARGET_NODE_MATRIX, null);
                            }
                            if (node.skin != null) {
                                ctx.issue(GltfIssue.ANIMATION_CHANNEL_TARGET_NODE_SKIN, "path");
                            }
                        } else if ("weights".equals(ch.path)) {
                            if (node.mesh == null || node.mesh.primitives == null || node.mesh.primitives.get(0).targets == null) {
                                ctx.issue(GltfIssue.ANIMATION_CHANNEL_TARGET_NODE_WEIGHTS_NO_MORPHS, null);
                            }
                        }
                    }
                    ctx.pop();
                }
            }
            if (ch.sampler != -1) {
                if (sampler == null) {
                    ctx.issue(GltfIssue.UNRESOLVED_REFERENCE, "sampler", ch.sampler);
                } else {
                    sampler.used = true;
                    if (ch.hasTarget && sampler.outputAcc != null) {
                        Accessor out = sampler.outputAcc;
                        if ("rotation".equals(ch.path) && out.components() == 4) {
                            ctx.push("sampler");
                            out.checkers.add(new Checks.Quaternion(ctx.pointer(null), out.isFloat() ? null : out,
                                    "CUBICSPLINE".equals(sampler.interpolation)));
                            ctx.pop();
                        }
                        // a target without a path (reported while parsing) has no output formats to check; Map.of's
                        // get(null) throws (found by fuzzing)
                        List<String> valid = ch.path == null ? null : OUTPUT_FORMATS.get(ch.path);
                        if (valid != null && !valid.contains(out.format())) {
                            ctx.issue(GltfIssue.ANIMATION_SAMPLER_OUTPUT_ACCESSOR_INVALID_FORMAT, "sampler", out.format(), valid, ch.path);
                        }
                        if (sampler.inputAcc != null && sampler.inputAcc.count != -1 && out.count != -1
                                && sampler.interpolation != null) {
                            long expected = sampler.inputAcc.count;
                            if ("CUBICSPLINE".equals(sampler.interpolation)) {
                                expected = Ranges.multiply(expected, 3);
                            }
                            if ("weights".equals(ch.path)) {
                                Integer targets = node == null || node.mesh == null || node.mesh.primitives == null
                                        || node.mesh.primitives.get(0).targets == null ? null
                                        : node.mesh.primitives.get(0).targets.size();
                                expected = Ranges.multiply(expected, targets == null ? 0 : targets);
                            } else if (ch.path == null || !List.of("translation", "rotation", "scale").contains(ch.path)) {
                                expected = 0;
                            }
                            if (expected != 0 && expected != out.count) {
                                ctx.issue(GltfIssue.ANIMATION_SAMPLER_OUTPUT_ACCESSOR_INVALID_COUNT, "sampler", expected, out.count);
                            }
                        }
                    }
                }
                Integer j = nextSame.get(i);
                if (j != null) {
                    ctx.issue(GltfIssue.ANIMATION_DUPLICATE_TARGETS, "target", j);
                }
            }
            ctx.pop();
        }
        ctx.pop();
        ctx.push("samplers");
        for (int i = 0; i < an.samplers.size(); i++) {
            if (!an.samplers.get(i).used) {
                ctx.issue(GltfIssue.UNUSED_OBJECT, i);
            }
        }
        ctx.pop();
    }

    private void linkScene(Scene s) {
        if (s.nodeIndices == null) {
            return;
        }
        ctx.push("nodes");
        for (int i = 0; i < s.nodeIndices.length; i++) {
            long ni = s.nodeIndices[i];
            if (ni == -1) {
                continue;
            }
            Node node = at(g.nodes, ni);
            if (node == null) {
                ctx.issue(GltfIssue.UNRESOLVED_REFERENCE, i, ni);
                continue;
            }
            node.used = true;
            if (node.parent != null) {
                ctx.issue(GltfIssue.SCENE_NON_ROOT_NODE, i, ni);
            }
            addScene(node, s.index);
        }
        ctx.pop();
    }

    /** Marks a node and its descendants as in a scene (iterative: deep hierarchies must not overflow the stack). */
    private void addScene(Node start, int scene) {
        ArrayDeque<Node> stack = new ArrayDeque<>();
        Set<Node> seen = new HashSet<>();
        stack.push(start);
        while (!stack.isEmpty()) {
            Node n = stack.pop();
            n.scenes.add(scene);
            if (n.children == null || !seen.add(n) || !ctx.spend(1)) {
                continue;
            }
            for (Node c : n.children) {
                stack.push(c);
            }
        }
    }

    /** Node emptiness, loops (nodes on a cycle of parent links, found in linear time) and skinned-mesh rules. */
    private void checkNodes() {
        ctx.push("nodes");
        List<Node> nodes = g.nodes;
        int n = nodes.size();
        boolean[] onCycle = new boolean[n];
        int[] state = new int[n]; // 0 new, >0 visiting in walk #state, -1 done
        int walk = 0;
        for (int i = 0; i < n; i++) {
            if (nodes.get(i) == null || state[i] != 0) {
                continue;
            }
            walk++;
            Node t = nodes.get(i);
            while (t != null && state[t.index] == 0) {
                state[t.index] = walk;
                t = t.parent;
            }
            if (t != null && state[t.index] == walk) {
                Node c = t;
                do {
                    onCycle[c.index] = true;
                    c = c.parent;
                } while (c != t);
            }
            t = nodes.get(i);
            while (t != null && state[t.index] == walk) {
                state[t.index] = -1;
                t = t.parent;
            }
        }
        Map<Node, Boolean> ancestorTransform = new HashMap<>();
        for (int i = 0; i < n; i++) {
            Node node = nodes.get(i);
            if (node == null) {
                continue;
            }
            if (!node.isJoint && node.childrenIndices == null && node.meshIndex == -1 && node.cameraIndex == -1
                    && node.extensions.isEmpty() && node.extras == null) {
                ctx.issue(GltfIssue.NODE_EMPTY, i);
            }
            if (onCycle[i]) {
                ctx.issue(GltfIssue.NODE_LOOP, i);
            }
            if (node.skin != null) {
                if (node.hasTransform()) {
                    ctx.issue(GltfIssue.NODE_SKINNED_MESH_LOCAL_TRANSFORMS, i);
                }
                if (node.parent != null) {
                    if (hasTransformedAncestor(node, ancestorTransform)) {
                        ctx.issue(GltfIssue.NODE_SKINNED_MESH_PARENT_TRANSFORMS, i);
                    }
                    ctx.issue(GltfIssue.NODE_SKINNED_MESH_NON_ROOT, i);
                }
                Node top = null;
                for (Node r : node.skin.commonRootsOrdered) {
                    if (r.parent == null) {
                        top = r;
                        break;
                    }
                }
                if (top != null && !top.scenes.containsAll(node.scenes)) {
                    ctx.issue(GltfIssue.NODE_SKIN_NO_SCENE, i);
                }
            }
        }
        ctx.pop();
    }

    private boolean hasTransformedAncestor(Node node, Map<Node, Boolean> memo) {
        Set<Node> seen = new HashSet<>();
        List<Node> chain = new ArrayList<>();
        Node p = node.parent;
        boolean result = false;
        while (p != null && seen.add(p) && ctx.spend(1)) {
            Boolean known = memo.get(p);
            if (known != null) {
                result = known;
                break;
            }
            chain.add(p);
            if (p.hasTransform()) {
                result = true;
                break;
            }
            p = p.parent;
        }
        for (Node c : chain) {
            memo.putIfAbsent(c, result || c.hasTransform());
        }
        return result;
    }

    private void checkUnused() {
        unused("accessors", g.accessors);
        unused("buffers", g.buffers);
        unused("bufferViews", g.bufferViews);
        unused("cameras", g.cameras);
        unused("images", g.images);
        unused("materials", g.materials);
        unused("meshes", g.meshes);
        unused("nodes", g.nodes);
        unused("samplers", g.samplers);
        unused("skins", g.skins);
        unused("textures", g.textures);
        if (g.variantsUsed != null) {
            for (int i = 0; i < g.variantsUsed.length; i++) {
                if (!g.variantsUsed[i]) {
                    ctx.issueAt("/extensions/" + Extensions.VARIANTS + "/variants/" + i, GltfIssue.UNUSED_OBJECT);
                }
            }
        }
        if (g.lightsUsed != null) {
            for (int i = 0; i < g.lightsUsed.length; i++) {
                if (!g.lightsUsed[i]) {
                    ctx.issueAt("/extensions/" + Extensions.LIGHTS + "/lights/" + i, GltfIssue.UNUSED_OBJECT);
                }
            }
        }
        ctx.push("meshes");
        for (int i = 0; i < g.meshes.size(); i++) {
            Mesh m = g.meshes.get(i);
            if (m != null && m.weights != null && m.used && !m.weightsUsed) {
                ctx.push(i);
                ctx.issue(GltfIssue.UNUSED_MESH_WEIGHTS, "weights");
                ctx.pop();
            }
        }
        ctx.pop();
    }

    private void unused(String name, List<? extends Obj> list) {
        if (list.isEmpty()) {
            return;
        }
        ctx.push(name);
        for (int i = 0; i < list.size(); i++) {
            Obj o = list.get(i);
            if (o != null && !o.used) {
                ctx.issue(GltfIssue.UNUSED_OBJECT, i);
            }
        }
        ctx.pop();
    }
}
