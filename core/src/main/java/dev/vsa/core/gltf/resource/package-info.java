/**
 * glTF resources, once for every reader of glTF (inspection, conversion, the splat codec and the validator): JSON
 * read into a tree within a memory budget derived from the heap, URIs and data URIs resolved strictly inside the
 * asset's folder (symbolic links included), GLB chunk tables and image headers. Internal: not exported by the
 * module; its public types serve {@code dev.vsa.core.gltf}, {@code dev.vsa.core.validate.gltf} and
 * {@code dev.vsa.core.format.khr}. Callers add their own reporting on top (the validator's issues, the readers'
 * {@link dev.vsa.core.error.MalformedInputException}s).
 */
package dev.vsa.core.gltf.resource;
