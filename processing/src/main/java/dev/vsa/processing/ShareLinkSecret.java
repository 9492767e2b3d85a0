package dev.vsa.processing;

/** A link just made, with its token: the only time the token is known. */
public record ShareLinkSecret(ShareLink link, String token) {
}
