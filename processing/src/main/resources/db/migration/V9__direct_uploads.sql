-- Direct-to-storage uploads (S3 only): the API opens a multipart upload under a key it chooses and hands out
-- presigned part URLs; the client sends the bytes to the bucket and then asks the API to complete. A row lives from
-- the first call until its expiry job has aborted what was left (or, once completed, forgotten the session).
-- No foreign key to users: after an account is deleted, the expiry job must still find and abort its upload.
CREATE TABLE direct_uploads (
    id            uuid        PRIMARY KEY,
    owner_id      uuid        NOT NULL,
    -- the scene the upload becomes; its original is stored under scenes/{scene_id}/original/0
    scene_id      uuid        NOT NULL UNIQUE,
    storage_key   text        NOT NULL,
    multipart_id  text        NOT NULL,
    filename      text        NOT NULL,
    size_bytes    bigint      NOT NULL CHECK (size_bytes > 0),
    sha256        text        NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    part_size     bigint      NOT NULL CHECK (part_size > 0),
    -- open: parts may be sent; completing: a completion call is verifying it; completed: the scene exists;
    -- closing: being aborted (by the owner, a failed check or the expiry job), its objects on their way out
    state         text        NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'completing', 'completed', 'closing')),
    created_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
    expires_at    timestamptz NOT NULL
);
-- The quota check counts the bytes an owner's open uploads have declared.
CREATE INDEX direct_uploads_owner ON direct_uploads (owner_id) WHERE state IN ('open', 'completing');
