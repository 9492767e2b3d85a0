package dev.vsa.core.validate;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * An entry of {@code info.resources}: a buffer or image the asset uses, where it is stored and what it is.
 *
 * @param pointer    JSON pointer of the buffer or image
 * @param mimeType   {@code application/gltf-buffer}, {@code image/png}, ... or null if unknown
 * @param storage    {@code glb}, {@code data-uri}, {@code buffer-view} or {@code external}
 * @param uri        the external URI, or null
 * @param byteLength the bytes actually found, or null if they could not be read
 * @param image      image properties read from its header, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"pointer", "mimeType", "storage", "uri", "byteLength", "image"})
public record Resource(String pointer, String mimeType, String storage, String uri, Long byteLength,
                       ImageInfo image) {

    /**
     * Properties of an image read from its header (Khronos report shape).
     *
     * @param width    pixels
     * @param height   pixels
     * @param format   {@code rgb}, {@code rgba}, {@code luminance}, {@code luminance-alpha} or null
     * @param primaries {@code srgb} or {@code custom}, or null
     * @param transfer {@code srgb}, {@code linear} or {@code custom}, or null
     * @param bits     bits per channel, or null
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"width", "height", "format", "primaries", "transfer", "bits"})
    public record ImageInfo(int width, int height, String format, String primaries, String transfer,
                            Integer bits) {
    }
}
