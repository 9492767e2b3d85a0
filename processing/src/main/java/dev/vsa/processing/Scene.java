package dev.vsa.processing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vsa.processing.internal.Json;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An uploaded scene and what processing learned of it.
 *
 * @param originalFilename the main file's name as uploaded (display only; never used as a storage key)
 * @param format           detected by content: {@code ply}, {@code compressed-ply}, {@code splat}, {@code spz},
 *                         {@code ksplat}, {@code glb}, {@code gltf}
 * @param size             bytes of all original files together
 * @param sha256           hex SHA-256 of the main original file, or null until the process job has read it
 * @param metadataJson     what inspection found (counts, bounds, SH degree, triangles, ...) as compact JSON text,
 *                         or null before; {@link #metadata()} parses it
 * @param validationJson   summary of the validation report ({@code valid, numErrors, numWarnings, ...}) as
 *                         compact JSON text, or null; {@link #validation()} parses it
 * @param error            why the scene is invalid or failed, or null
 * @param files            originals, outputs and reports, by name
 * @param latestJobId      the most recent job on the scene, or null
 * @param name             the display name its owner gave it, or null (then the original file name is shown)
 * @param description      its owner's description ("" if none)
 * @param tags             its owner's tags (lower case, sorted)
 * @param processingOptions what its latest process job was asked to make ({@link ProcessingOptions#toJson()}),
 *                          or null for a scene from before options existed (it had the defaults); a scene read from
 *                          the database may share this node with other scenes: write it out, never change it
 */
public record Scene(UUID id, UUID ownerId, String originalFilename, String format, long size, String sha256,
                    SceneStatus status, String metadataJson, String validationJson, String error,
                    Instant createdAt, Instant updatedAt, List<SceneFile> files, UUID latestJobId,
                    String name, String description, List<String> tags, JsonNode processingOptions) {
    public Scene {
        files = List.copyOf(files);
        tags = List.copyOf(tags);
    }

    /** A scene without recorded processing options. */
    public Scene(UUID id, UUID ownerId, String originalFilename, String format, long size, String sha256,
                 SceneStatus status, String metadataJson, String validationJson, String error,
                 Instant createdAt, Instant updatedAt, List<SceneFile> files, UUID latestJobId,
                 String name, String description, List<String> tags) {
        this(id, ownerId, originalFilename, format, size, sha256, status, metadataJson, validationJson, error,
                createdAt, updatedAt, files, latestJobId, name, description, tags, null);
    }

    /**
     * {@link #metadataJson()} as a tree (parsed on each call), or null. The API writes the text as it is: a scene
     * read, the most frequent request, then neither parses nor re-encodes its ~50 numbers.
     */
    public JsonNode metadata() {
        return Json.parse(metadataJson);
    }

    /** {@link #validationJson()} as a tree (parsed on each call), or null. */
    public JsonNode validation() {
        return Json.parse(validationJson);
    }

    /** The name to show: the owner's, else the original file's. */
    public String displayName() {
        return name != null ? name : originalFilename;
    }
}
