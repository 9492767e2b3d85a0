/**
 * Resumable uploads: the state of an upload sent in pieces (the tus 1.0 protocol's core, creation, termination,
 * checksum and expiration extensions, see {@code server-lite}'s {@code TusApi}), kept in PostgreSQL with its bytes
 * as chunk objects in the store, and turned into a scene through {@link dev.vsa.processing.SceneService#upload}
 * once the last byte is in: the same path as a one-request upload.
 *
 * <p>Why not the {@code me.desair.tus:tus-java-server} library: it keeps upload state in files of its own
 * storage directory (one node's disk) and is a servlet filter beside Javalin's router; vsa keeps all state in
 * PostgreSQL and the object store (any API process can go on with an upload), counts uploads against its own
 * limits and quotas, and scopes them to their owner. What the protocol needs of a server is small: this package.
 */
package dev.vsa.processing.resumable;
