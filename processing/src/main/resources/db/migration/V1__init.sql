-- vsa processing schema, version 1. Identifiers are uuids made by the application (no sequences to shard).

CREATE TABLE users (
    id            uuid        PRIMARY KEY,
    username      text        NOT NULL,
    email         text        NOT NULL,
    password_hash text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
-- Case-insensitive uniqueness: "Ada" and "ada" are one user. The index names tell DuplicateException the field.
CREATE UNIQUE INDEX users_username_key ON users (lower(username));
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

CREATE TABLE refresh_tokens (
    token_hash text        PRIMARY KEY,
    user_id    uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);

CREATE TABLE scenes (
    id                uuid        PRIMARY KEY,
    owner_id          uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    original_filename text        NOT NULL,
    format            text        NOT NULL,
    size_bytes        bigint      NOT NULL CHECK (size_bytes >= 0),
    sha256            text        NOT NULL,
    status            text        NOT NULL CHECK (status IN ('uploaded', 'processing', 'ready', 'invalid', 'failed')),
    metadata          jsonb,
    validation        jsonb,
    error             text,
    created_at        timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at        timestamptz NOT NULL DEFAULT clock_timestamp()
);
-- Newest first, keyset-paginated per owner.
CREATE INDEX scenes_owner_created ON scenes (owner_id, created_at DESC, id DESC);

CREATE TABLE scene_files (
    scene_id     uuid        NOT NULL REFERENCES scenes (id) ON DELETE CASCADE,
    kind         text        NOT NULL CHECK (kind IN ('original', 'output', 'report')),
    name         text        NOT NULL,
    storage_key  text        NOT NULL,
    size_bytes   bigint      NOT NULL CHECK (size_bytes >= 0),
    content_type text        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (scene_id, name)
);

-- The job queue. kind is the application's (process, convert; tests add their own), so no CHECK on it.
CREATE TABLE jobs (
    id               uuid        PRIMARY KEY,
    scene_id         uuid        REFERENCES scenes (id) ON DELETE CASCADE,
    kind             text        NOT NULL,
    payload          jsonb       NOT NULL DEFAULT '{}'::jsonb,
    state            text        NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
    attempts         int         NOT NULL DEFAULT 0,
    max_attempts     int         NOT NULL CHECK (max_attempts >= 1),
    run_after        timestamptz NOT NULL DEFAULT now(),
    lease_owner      text,
    lease_until      timestamptz,
    cancel_requested boolean     NOT NULL DEFAULT false,
    progress         int         NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    stage            text,
    last_error       text,
    created_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
    started_at       timestamptz,
    finished_at      timestamptz
);
-- Claim order: due queued jobs, oldest first; and expired leases.
CREATE INDEX jobs_due ON jobs (run_after, created_at) WHERE state = 'queued';
CREATE INDEX jobs_leases ON jobs (lease_until) WHERE state = 'running';
CREATE INDEX jobs_scene ON jobs (scene_id, created_at DESC);
