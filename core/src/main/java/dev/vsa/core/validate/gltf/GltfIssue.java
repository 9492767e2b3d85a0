package dev.vsa.core.validate.gltf;

import dev.vsa.core.validate.Severity;

import static dev.vsa.core.validate.Severity.ERROR;
import static dev.vsa.core.validate.Severity.HINT;
import static dev.vsa.core.validate.Severity.INFO;
import static dev.vsa.core.validate.Severity.WARNING;

/**
 * Issue codes, default severities and message templates. The codes, severities and wording follow the Khronos
 * glTF-Validator's {@code lib/src/errors.dart} (2.0.0-dev.3.10); the {@code KHR_GAUSSIAN_SPLATTING_*} codes and
 * {@code JSON_TOO_LARGE} are vsa's own. {@code {n}} is replaced by argument n.
 */
enum GltfIssue {
    // Data
    BUFFER_BYTE_LENGTH_MISMATCH(ERROR, "Actual data byte length ({0}) is less than the declared buffer byte length ({1})."),
    BUFFER_GLB_CHUNK_TOO_BIG(WARNING, "GLB-stored BIN chunk contains {0} extra padding byte(s)."),
    ACCESSOR_MIN_MISMATCH(ERROR, "Declared minimum value for this component ({0}) does not match actual minimum ({1})."),
    ACCESSOR_MAX_MISMATCH(ERROR, "Declared maximum value for this component ({0}) does not match actual maximum ({1})."),
    ACCESSOR_ELEMENT_OUT_OF_MIN_BOUND(ERROR, "Accessor contains {0} element(s) less than declared minimum value {1}."),
    ACCESSOR_ELEMENT_OUT_OF_MAX_BOUND(ERROR, "Accessor contains {0} element(s) greater than declared maximum value {1}."),
    ACCESSOR_VECTOR3_NON_UNIT(ERROR, "Vector3 at accessor indices {0}..{1} is not of unit length: {2}."),
    ACCESSOR_INVALID_SIGN(ERROR, "Vector3 with sign at accessor indices {0}..{1} has invalid w component: {2}. Must be 1.0 or -1.0."),
    ACCESSOR_ANIMATION_SAMPLER_OUTPUT_NON_NORMALIZED_QUATERNION(ERROR, "Animation sampler output accessor element at indices {0}..{1} is not of unit length: {2}."),
    ACCESSOR_NON_CLAMPED(ERROR, "Accessor element at index {0} is not clamped to 0..1 range: {1}."),
    ACCESSOR_INVALID_FLOAT(ERROR, "Accessor element at index {0} is {1}."),
    ACCESSOR_INDEX_OOB(ERROR, "Indices accessor element at index {0} has value {1} that is greater than the maximum vertex index available ({2})."),
    ACCESSOR_INDEX_TRIANGLE_DEGENERATE(INFO, "Indices accessor contains {0} degenerate triangles (out of {1})."),
    ACCESSOR_INDEX_PRIMITIVE_RESTART(ERROR, "Indices accessor contains primitive restart value ({0}) at index {1}."),
    ACCESSOR_ANIMATION_INPUT_NEGATIVE(ERROR, "Animation input accessor element at index {0} is negative: {1}."),
    ACCESSOR_ANIMATION_INPUT_NON_INCREASING(ERROR, "Animation input accessor element at index {0} is less than or equal to previous: {1} <= {2}."),
    ACCESSOR_SPARSE_INDICES_NON_INCREASING(ERROR, "Accessor sparse indices element at index {0} is less than or equal to previous: {1} <= {2}."),
    ACCESSOR_SPARSE_INDEX_OOB(ERROR, "Accessor sparse indices element at index {0} is greater than or equal to the number of accessor elements: {1} >= {2}."),
    ACCESSOR_INVALID_IBM(ERROR, "Matrix element at index {0} (component index {1}) contains invalid value: {2}."),
    IMAGE_DATA_INVALID(ERROR, "Image data is invalid. {0}"),
    IMAGE_MIME_TYPE_INVALID(ERROR, "Recognized image format '{0}' does not match declared image format '{1}'."),
    IMAGE_UNEXPECTED_EOS(ERROR, "Unexpected end of image stream."),
    IMAGE_UNRECOGNIZED_FORMAT(WARNING, "Image format not recognized."),
    IMAGE_NON_ENABLED_MIME_TYPE(ERROR, "'{0}' MIME type requires an extension."),
    IMAGE_NPOT_DIMENSIONS(INFO, "Image has non-power-of-two dimensions: {0}x{1}."),
    IMAGE_FEATURES_UNSUPPORTED(WARNING, "Image contains unsupported features like non-default colorspace information, non-square pixels, or animation."),
    URI_GLB(INFO, "URI is used in GLB container."),
    DATA_URI_GLB(WARNING, "Data URI is used in GLB container."),
    ACCESSOR_JOINTS_INDEX_OOB(ERROR, "Joints accessor element at index {0} (component index {1}) has value {2} that is greater than the maximum joint index ({3}) set by skin {4}."),
    ACCESSOR_JOINTS_INDEX_DUPLICATE(ERROR, "Joints accessor element at index {0} (component index {1}) has value {2} that is already in use for the vertex."),
    ACCESSOR_WEIGHTS_NEGATIVE(ERROR, "Weights accessor element at index {0} (component index {1}) has negative value {2}."),
    ACCESSOR_WEIGHTS_NON_NORMALIZED(ERROR, "Weights accessor elements (at indices {0}..{1}) have non-normalized sum: {2}."),
    ACCESSOR_JOINTS_USED_ZERO_WEIGHT(WARNING, "Joints accessor element at index {0} (component index {1}) is used with zero weight but has non-zero value ({2})."),
    IO_ERROR(ERROR, "{0}"),
    // Schema
    ARRAY_LENGTH_NOT_IN_LIST(ERROR, "Invalid array length {0}. Valid lengths are: {1}."),
    ARRAY_TYPE_MISMATCH(ERROR, "Type mismatch. Array element {0} is not a '{1}'."),
    DUPLICATE_ELEMENTS(ERROR, "Duplicate element."),
    INVALID_INDEX(ERROR, "Index must be a non-negative integer."),
    INVALID_JSON(ERROR, "Invalid JSON data. Parser output: {0}"),
    INVALID_URI(ERROR, "Invalid URI '{0}'. Parser output:\n{1}"),
    EMPTY_ENTITY(ERROR, "Entity cannot be empty."),
    ONE_OF_MISMATCH(ERROR, "Exactly one of {0} properties must be defined."),
    PATTERN_MISMATCH(ERROR, "Value '{0}' does not match regexp pattern '{1}'."),
    TYPE_MISMATCH(ERROR, "Type mismatch. Property value {0} is not a '{1}'."),
    VALUE_NOT_IN_LIST(WARNING, "Invalid value {0}. Valid values are {1}."),
    VALUE_NOT_IN_RANGE(ERROR, "Value {0} is out of range."),
    VALUE_MULTIPLE_OF(ERROR, "Value {0} is not a multiple of {1}."),
    UNDEFINED_PROPERTY(ERROR, "Property '{0}' must be defined."),
    UNEXPECTED_PROPERTY(WARNING, "Unexpected property."),
    UNSATISFIED_DEPENDENCY(ERROR, "Dependency failed. '{0}' must be defined."),
    // Semantic
    UNKNOWN_ASSET_MAJOR_VERSION(ERROR, "Unknown glTF major asset version: {0}."),
    UNKNOWN_ASSET_MINOR_VERSION(WARNING, "Unknown glTF minor asset version: {0}."),
    ASSET_MIN_VERSION_GREATER_THAN_VERSION(ERROR, "Asset minVersion '{0}' is greater than version '{1}'."),
    INVALID_GL_VALUE(ERROR, "Invalid value {0} for GL type '{1}'."),
    ACCESSOR_NORMALIZED_INVALID(ERROR, "Only (u)byte and (u)short accessors can be normalized."),
    ACCESSOR_OFFSET_ALIGNMENT(ERROR, "Offset {0} is not a multiple of componentType length {1}."),
    ACCESSOR_MATRIX_ALIGNMENT(ERROR, "Matrix accessors must be aligned to 4-byte boundaries."),
    ACCESSOR_SPARSE_COUNT_OUT_OF_RANGE(ERROR, "Sparse accessor overrides more elements ({0}) than the base accessor contains ({1})."),
    ANIMATION_CHANNEL_TARGET_NODE_SKIN(WARNING, "Animated TRS properties will not affect a skinned mesh."),
    BUFFER_DATA_URI_MIME_TYPE_INVALID(ERROR, "Data URI media type must be 'application/octet-stream' or 'application/gltf-buffer'. Found '{0}' instead."),
    BUFFER_VIEW_TOO_BIG_BYTE_STRIDE(ERROR, "Buffer view's byteStride ({0}) is greater than byteLength ({1})."),
    BUFFER_VIEW_INVALID_BYTE_STRIDE(ERROR, "Only buffer views with raw vertex data can have byteStride."),
    CAMERA_XMAG_YMAG_NEGATIVE(WARNING, "xmag and ymag should not be negative."),
    CAMERA_XMAG_YMAG_ZERO(ERROR, "xmag and ymag must not be zero."),
    CAMERA_YFOV_GEQUAL_PI(WARNING, "yfov should be less than Pi."),
    CAMERA_ZFAR_LEQUAL_ZNEAR(ERROR, "zfar must be greater than znear."),
    MATERIAL_ALPHA_CUTOFF_INVALID_MODE(WARNING, "Alpha cutoff is supported only for 'MASK' alpha mode."),
    MESH_PRIMITIVE_INVALID_ATTRIBUTE(ERROR, "Invalid attribute name."),
    MESH_PRIMITIVES_UNEQUAL_TARGETS_COUNT(ERROR, "All primitives must have the same number of morph targets."),
    MESH_PRIMITIVE_NO_POSITION(WARNING, "No POSITION attribute found."),
    MESH_PRIMITIVE_INDEXED_SEMANTIC_CONTINUITY(ERROR, "Indices for indexed attribute semantic '{0}' must start with 0 and be continuous. Total expected indices: {1}, total provided indices: {2}."),
    MESH_PRIMITIVE_TANGENT_WITHOUT_NORMAL(WARNING, "TANGENT attribute without NORMAL found."),
    MESH_PRIMITIVE_JOINTS_WEIGHTS_MISMATCH(ERROR, "Number of JOINTS attribute semantics ({0}) does not match the number of WEIGHTS ({1})."),
    MESH_INVALID_WEIGHTS_COUNT(ERROR, "The length of weights array ({0}) does not match the number of morph targets ({1})."),
    NODE_MATRIX_TRS(ERROR, "A node can have either a matrix or any combination of translation/rotation/scale (TRS) properties."),
    NODE_MATRIX_DEFAULT(INFO, "Do not specify default transform matrix."),
    NODE_MATRIX_NON_TRS(ERROR, "Matrix must be decomposable to TRS."),
    ROTATION_NON_UNIT(ERROR, "Rotation quaternion must be normalized."),
    UNUSED_EXTENSION_REQUIRED(ERROR, "Unused extension '{0}' cannot be required."),
    NON_REQUIRED_EXTENSION(ERROR, "Extension '{0}' cannot be optional."),
    INVALID_EXTENSION_NAME_FORMAT(WARNING, "Extension name has invalid format."),
    NODE_EMPTY(INFO, "Empty node encountered."),
    NODE_SKINNED_MESH_LOCAL_TRANSFORMS(WARNING, "Local transforms will not affect a skinned mesh."),
    NODE_SKINNED_MESH_PARENT_TRANSFORMS(WARNING, "Node with a skinned mesh has parent nodes with transforms. Parent transforms will not affect a skinned mesh."),
    NODE_SKINNED_MESH_NON_ROOT(INFO, "Node with a skinned mesh is not root. Parent transforms will not affect a skinned mesh."),
    NODE_SKIN_NO_SCENE(ERROR, "A node with a skinned mesh is used in a scene that does not contain joint nodes."),
    SKIN_NO_COMMON_ROOT(ERROR, "Joints do not have a common root."),
    SKIN_SKELETON_INVALID(ERROR, "Skeleton node is not a common root."),
    NON_RELATIVE_URI(WARNING, "Non-relative URI found: '{0}'."),
    NON_OBJECT_EXTRAS(INFO, "Prefer JSON Objects for extras."),
    // Link
    ACCESSOR_TOTAL_OFFSET_ALIGNMENT(ERROR, "Accessor's total byteOffset {0} isn't a multiple of componentType length {1}."),
    ACCESSOR_SMALL_BYTESTRIDE(ERROR, "Referenced bufferView's byteStride value {0} is less than accessor element's length {1}."),
    ACCESSOR_TOO_LONG(ERROR, "Accessor (offset: {0}, length: {1}) does not fit referenced bufferView [{2}] length {3}."),
    ACCESSOR_USAGE_OVERRIDE(ERROR, "Override of previously set accessor usage. Initial: '{0}', new: '{1}'."),
    ANIMATION_DUPLICATE_TARGETS(ERROR, "Animation channel has the same target as channel {0}."),
    ANIMATION_CHANNEL_TARGET_NODE_MATRIX(ERROR, "Animation channel cannot target TRS properties of a node with defined matrix."),
    ANIMATION_CHANNEL_TARGET_NODE_WEIGHTS_NO_MORPHS(ERROR, "Animation channel cannot target WEIGHTS when mesh does not have morph targets."),
    ANIMATION_SAMPLER_INPUT_ACCESSOR_WITHOUT_BOUNDS(ERROR, "accessor.min and accessor.max must be defined for animation input accessor."),
    ANIMATION_SAMPLER_INPUT_ACCESSOR_INVALID_FORMAT(ERROR, "Invalid Animation sampler input accessor format '{0}'. Must be one of {1}."),
    ANIMATION_SAMPLER_OUTPUT_ACCESSOR_INVALID_FORMAT(ERROR, "Invalid animation sampler output accessor format '{0}' for path '{2}'. Must be one of {1}."),
    ANIMATION_SAMPLER_INPUT_ACCESSOR_TOO_FEW_ELEMENTS(ERROR, "Animation sampler output accessor with '{0}' interpolation must have at least {1} elements. Got {2}."),
    ANIMATION_SAMPLER_OUTPUT_ACCESSOR_INVALID_COUNT(ERROR, "Animation sampler output accessor of count {0} expected. Found {1}."),
    ANIMATION_SAMPLER_ACCESSOR_WITH_BYTESTRIDE(ERROR, "bufferView.byteStride must not be defined for buffer views used by animation sampler accessors."),
    BUFFER_MISSING_GLB_DATA(ERROR, "Buffer refers to an unresolved GLB binary chunk."),
    BUFFER_VIEW_TOO_LONG(ERROR, "BufferView does not fit buffer ({0}) byteLength ({1})."),
    BUFFER_VIEW_TARGET_OVERRIDE(ERROR, "Override of previously set bufferView target or usage. Initial: '{0}', new: '{1}'."),
    BUFFER_VIEW_TARGET_MISSING(HINT, "bufferView.target should be set for vertex or index data."),
    IMAGE_BUFFER_VIEW_WITH_BYTESTRIDE(ERROR, "bufferView.byteStride must not be defined for buffer views containing image data."),
    INVALID_IBM_ACCESSOR_COUNT(ERROR, "IBM accessor must have at least {0} elements. Found {1}."),
    MESH_PRIMITIVE_ATTRIBUTES_ACCESSOR_INVALID_FORMAT(ERROR, "Invalid accessor format '{0}' for this attribute semantic. Must be one of {1}."),
    MESH_PRIMITIVE_ATTRIBUTES_ACCESSOR_UNSIGNED_INT(ERROR, "Mesh attributes cannot use UNSIGNED_INT component type."),
    MESH_PRIMITIVE_POSITION_ACCESSOR_WITHOUT_BOUNDS(ERROR, "accessor.min and accessor.max must be defined for POSITION attribute accessor."),
    MESH_PRIMITIVE_ACCESSOR_WITHOUT_BYTESTRIDE(ERROR, "bufferView.byteStride must be defined when two or more accessors use the same buffer view."),
    MESH_PRIMITIVE_ACCESSOR_UNALIGNED(ERROR, "Vertex attribute data must be aligned to 4-byte boundaries."),
    MESH_PRIMITIVE_INDICES_ACCESSOR_WITH_BYTESTRIDE(ERROR, "bufferView.byteStride must not be defined for indices accessor."),
    MESH_PRIMITIVE_INDICES_ACCESSOR_INVALID_FORMAT(ERROR, "Invalid indices accessor format '{0}'. Must be one of {1}."),
    MESH_PRIMITIVE_INCOMPATIBLE_MODE(WARNING, "Number of vertices or indices ({0}) is not compatible with used drawing mode ('{1}')."),
    MESH_PRIMITIVE_TOO_FEW_TEXCOORDS(ERROR, "Material is incompatible with mesh primitive: Texture binding '{0}' needs 'TEXCOORD_{1}' attribute."),
    MESH_PRIMITIVE_NO_TANGENT_SPACE(ERROR, "Material requires a tangent space but the mesh primitive does not provide it and the material does not contain a normal map to generate it."),
    MESH_PRIMITIVE_GENERATED_TANGENT_SPACE(WARNING, "Material requires a tangent space but the mesh primitive does not provide it. Runtime-generated tangent space may be non-portable across implementations."),
    MESH_PRIMITIVE_UNEQUAL_ACCESSOR_COUNT(ERROR, "All accessors of the same primitive must have the same count."),
    MESH_PRIMITIVE_MORPH_TARGET_NO_BASE_ACCESSOR(ERROR, "The mesh primitive does not define this attribute semantic."),
    MESH_PRIMITIVE_MORPH_TARGET_INVALID_ATTRIBUTE_COUNT(ERROR, "Base accessor has different count."),
    NODE_LOOP(ERROR, "Node is a part of a node loop."),
    NODE_PARENT_OVERRIDE(ERROR, "Value overrides parent of node {0}."),
    NODE_WEIGHTS_INVALID(ERROR, "The length of weights array ({0}) does not match the number of morph targets ({1})."),
    NODE_SKIN_WITH_NON_SKINNED_MESH(ERROR, "Node has skin defined, but mesh has no joints data."),
    NODE_SKINNED_MESH_WITHOUT_SKIN(WARNING, "Node uses skinned mesh, but has no skin defined."),
    SCENE_NON_ROOT_NODE(ERROR, "Node {0} is not a root node."),
    SKIN_IBM_INVALID_FORMAT(ERROR, "Invalid IBM accessor format '{0}'. Must be one of {1}."),
    SKIN_IBM_ACCESSOR_WITH_BYTESTRIDE(ERROR, "bufferView.byteStride must not be defined for buffer views used by inverse bind matrices accessors."),
    TEXTURE_INVALID_IMAGE_MIME_TYPE(ERROR, "Invalid MIME type '{0}' for the texture source. Valid MIME types are {1}."),
    UNDECLARED_EXTENSION(ERROR, "Extension is not declared in extensionsUsed."),
    UNEXPECTED_EXTENSION_OBJECT(ERROR, "Unexpected location for this extension."),
    UNRESOLVED_REFERENCE(ERROR, "Unresolved reference: {0}."),
    UNSUPPORTED_EXTENSION(INFO, "Cannot validate an extension as it is not supported by the validator: '{0}'."),
    UNUSED_OBJECT(INFO, "This object may be unused."),
    UNUSED_MESH_WEIGHTS(INFO, "The static morph target weights are always overridden."),
    UNUSED_MESH_TANGENT(INFO, "Tangents are not used because the material has no normal texture."),
    // GLB
    GLB_INVALID_MAGIC(ERROR, "Invalid GLB magic value ({0})."),
    GLB_INVALID_VERSION(ERROR, "Invalid GLB version value {0}."),
    GLB_LENGTH_TOO_SMALL(ERROR, "Declared GLB length ({0}) is too small."),
    GLB_CHUNK_LENGTH_UNALIGNED(ERROR, "Length of {0} chunk is not aligned to 4-byte boundaries."),
    GLB_LENGTH_MISMATCH(ERROR, "Declared length ({0}) does not match GLB length ({1})."),
    GLB_CHUNK_TOO_BIG(ERROR, "Chunk ({0}) length ({1}) does not fit total GLB length."),
    GLB_EMPTY_CHUNK(ERROR, "Chunk ({0}) cannot have zero length."),
    GLB_EMPTY_BIN_CHUNK(INFO, "Empty BIN chunk should be omitted."),
    GLB_DUPLICATE_CHUNK(ERROR, "Chunk of type {0} has already been used."),
    GLB_UNEXPECTED_END_OF_CHUNK_HEADER(ERROR, "Unexpected end of chunk header."),
    GLB_UNEXPECTED_END_OF_CHUNK_DATA(ERROR, "Unexpected end of chunk data."),
    GLB_UNEXPECTED_END_OF_HEADER(ERROR, "Unexpected end of header."),
    GLB_UNEXPECTED_FIRST_CHUNK(ERROR, "First chunk must be of JSON type. Found {0} instead."),
    GLB_UNEXPECTED_BIN_CHUNK(ERROR, "BIN chunk must be the second chunk."),
    GLB_UNKNOWN_CHUNK_TYPE(WARNING, "Unknown GLB chunk type: {0}."),
    GLB_EXTRA_DATA(WARNING, "Extra data after the end of GLB stream."),
    // Extensions
    KHR_LIGHTS_PUNCTUAL_LIGHT_SPOT_ANGLES(ERROR, "outerConeAngle ({1}) is less than or equal to innerConeAngle ({0})."),
    KHR_MATERIALS_VARIANTS_NON_UNIQUE_VARIANT(ERROR, "This variant is used more than once for this mesh primitive."),
    INCOMPLETE_EXTENSION_SUPPORT(INFO, "Validation support for this extension is incomplete; the asset may have undetected issues."),
    KHR_ANIMATION_POINTER_ANIMATION_CHANNEL_TARGET_NODE(ERROR, "This extension requires the animation channel target node to be undefined."),
    KHR_ANIMATION_POINTER_ANIMATION_CHANNEL_TARGET_PATH(ERROR, "This extension requires the animation channel target path to be 'pointer'. Found '{0}' instead."),
    EXTRA_PROPERTY(INFO, "This property should not be defined as it will not be used."),
    // vsa's own
    JSON_TOO_LARGE(ERROR, "{0}"),
    VALIDATION_LIMIT(INFO, "{0}"),
    KHR_GAUSSIAN_SPLATTING_INVALID_MODE(ERROR, "KHR_gaussian_splatting primitives must use mode POINTS (0); found {0}."),
    KHR_GAUSSIAN_SPLATTING_MISSING_ATTRIBUTE(ERROR, "KHR_gaussian_splatting requires the attribute '{0}'."),
    KHR_GAUSSIAN_SPLATTING_INVALID_ATTRIBUTE(ERROR, "Unknown KHR_gaussian_splatting attribute '{0}'."),
    KHR_GAUSSIAN_SPLATTING_ATTRIBUTE_OUTSIDE_EXTENSION(ERROR, "Attribute '{0}' is used on a primitive without the KHR_gaussian_splatting extension."),
    KHR_GAUSSIAN_SPLATTING_PARTIAL_SH(ERROR, "Spherical harmonics degree {0} is partially defined or a lower degree is missing: {1}."),
    KHR_GAUSSIAN_SPLATTING_NEGATIVE_SCALE(ERROR, "Scale element at index {0} is negative: {1}; scales are linear and must not be negative."),
    KHR_GAUSSIAN_SPLATTING_OPACITY_OUT_OF_RANGE(ERROR, "Opacity element at index {0} is {1}, outside 0..1."),
    KHR_GAUSSIAN_SPLATTING_ROTATION_NON_UNIT(WARNING, "Rotation quaternion at accessor indices {0}..{1} is not of unit length: {2}."),
    KHR_GAUSSIAN_SPLATTING_UNKNOWN_VALUE(INFO, "'{0}' is not a value defined by KHR_gaussian_splatting for '{1}' (an extension may define it)."),
    KHR_GAUSSIAN_SPLATTING_MATERIAL_IGNORED(INFO, "The material of a KHR_gaussian_splatting primitive is ignored for splat rendering.");

    final Severity severity;
    private final String template;

    GltfIssue(Severity severity, String template) {
        this.severity = severity;
        this.template = template;
    }

    /** The message with arguments substituted. */
    String format(Object... args) {
        if (args.length == 0) {
            return template;
        }
        StringBuilder sb = new StringBuilder(template.length() + 32);
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (c == '{' && i + 2 < template.length() && template.charAt(i + 2) == '}'
                    && Character.isDigit(template.charAt(i + 1))) {
                int n = template.charAt(i + 1) - '0';
                sb.append(n < args.length ? Fmt.value(args[n]) : "null");
                i += 2;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
