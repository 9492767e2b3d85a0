package dev.vsa.processing.storage;

/**
 * What a store knows of one object.
 *
 * @param key         its key
 * @param size        bytes
 * @param contentType MIME type given at put, or {@code application/octet-stream}
 */
public record ObjectInfo(String key, long size, String contentType) {
}
