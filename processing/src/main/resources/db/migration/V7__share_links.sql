-- Read-only links to a scene's outputs for people without an account: 256-bit random tokens (only their SHA-256
-- kept), each expiring and revocable by the owner.
CREATE TABLE share_links (
    id          uuid        PRIMARY KEY,
    scene_id    uuid        NOT NULL REFERENCES scenes (id) ON DELETE CASCADE,
    token_hash  text        NOT NULL UNIQUE,
    expires_at  timestamptz NOT NULL,
    revoked_at  timestamptz,
    created_at  timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX share_links_scene ON share_links (scene_id, created_at);
