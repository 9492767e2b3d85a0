-- Resumable uploads (the tus 1.0 protocol): an upload's declared length, how far it has come, its owner and its
-- metadata live here, its bytes as chunk objects in the store (tus/{id}/...), so an upload survives a restart of
-- the API and can go on through another API process. Once the last byte is in, the upload becomes a scene through
-- the same path as POST /upload/ and keeps the scene's id until it expires (a client that lost the last answer
-- learns it with HEAD). Abandoned uploads expire and are swept with their chunks.
CREATE TABLE tus_uploads (
    id              uuid        PRIMARY KEY,
    owner_id        uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    length_bytes    bigint      NOT NULL CHECK (length_bytes > 0),
    offset_bytes    bigint      NOT NULL DEFAULT 0 CHECK (offset_bytes >= 0 AND offset_bytes <= length_bytes),
    filename        text        NOT NULL,
    metadata        text        NOT NULL DEFAULT '',
    idempotency_key text,
    sha256          text,
    scene_id        uuid,
    job_id          uuid,
    created_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
    expires_at      timestamptz NOT NULL
);
CREATE UNIQUE INDEX tus_uploads_idempotency ON tus_uploads (owner_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX tus_uploads_expiry ON tus_uploads (expires_at);

-- The bytes received so far, one object per PATCH (or per part of a PATCH cut short), in offset order.
CREATE TABLE tus_chunks (
    upload_id    uuid   NOT NULL REFERENCES tus_uploads (id) ON DELETE CASCADE,
    start_offset bigint NOT NULL CHECK (start_offset >= 0),
    size_bytes   bigint NOT NULL CHECK (size_bytes > 0),
    storage_key  text   NOT NULL,
    PRIMARY KEY (upload_id, start_offset)
);
