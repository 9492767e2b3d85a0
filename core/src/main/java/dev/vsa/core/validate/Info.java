package dev.vsa.core.validate;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;

/**
 * The {@code info} object of a report: what the file holds. The glTF fields follow the Khronos
 * glTF-Validator's; a splat file fills what applies (counts, {@code splatCount}, {@code shDegree}) and
 * leaves the rest null. Null fields are left out of the JSON.
 *
 * @param version            glTF {@code asset.version}
 * @param minVersion         glTF {@code asset.minVersion}
 * @param generator          glTF {@code asset.generator} or the splat writer's name
 * @param extensionsUsed     glTF {@code extensionsUsed} (distinct), or null if none
 * @param extensionsRequired glTF {@code extensionsRequired} (distinct), or null if none
 * @param resources          buffers and images, or null if none
 * @param animationCount     number of animations
 * @param materialCount      number of materials
 * @param hasMorphTargets    whether a primitive has morph targets
 * @param hasSkins           whether there is a skin
 * @param hasTextures        whether there is a texture
 * @param hasDefaultScene    whether {@code scene} is set
 * @param drawCallCount      number of mesh primitives
 * @param totalVertexCount   sum of primitives' vertex counts
 * @param totalTriangleCount sum of primitives' triangle counts
 * @param maxUVs             most TEXCOORD_n sets on a primitive
 * @param maxInfluences      most joint influences on a primitive
 * @param maxAttributes      most attributes on a primitive
 * @param splatCount         number of Gaussian splats (KHR_gaussian_splatting primitives or a splat file), or null
 * @param shDegree           spherical-harmonics degree of the splats, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"version", "minVersion", "generator", "extensionsUsed", "extensionsRequired", "resources",
        "animationCount", "materialCount", "hasMorphTargets", "hasSkins", "hasTextures", "hasDefaultScene",
        "drawCallCount", "totalVertexCount", "totalTriangleCount", "maxUVs", "maxInfluences", "maxAttributes",
        "splatCount", "shDegree"})
public record Info(String version, String minVersion, String generator, List<String> extensionsUsed,
                   List<String> extensionsRequired, List<Resource> resources,
                   Integer animationCount, Integer materialCount, Boolean hasMorphTargets, Boolean hasSkins,
                   Boolean hasTextures, Boolean hasDefaultScene, Integer drawCallCount, Long totalVertexCount,
                   Long totalTriangleCount, Integer maxUVs, Integer maxInfluences, Integer maxAttributes,
                   Long splatCount, Integer shDegree) {

    /**
     * Info for a splat file: only the splat count, SH degree and generator are set.
     *
     * @param generator  the writer's name, or null
     * @param splatCount number of splats
     * @param shDegree   spherical-harmonics degree (0..3)
     */
    public static Info ofSplats(String generator, long splatCount, int shDegree) {
        return new Info(null, null, generator, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, splatCount, shDegree);
    }
}
