-- Personal access tokens for pipelines: scoped, optionally expiring, revocable. Only a SHA-256 of each token is
-- kept (tokens are 256 random bits, so a fast hash is enough and a database leak does not leak them).

CREATE TABLE api_tokens (
    id           uuid        PRIMARY KEY,
    owner_id     uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         text        NOT NULL,
    token_hash   text        NOT NULL UNIQUE,
    scopes       text[]      NOT NULL,
    expires_at   timestamptz,
    last_used_at timestamptz,
    revoked_at   timestamptz,
    created_at   timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX api_tokens_owner ON api_tokens (owner_id, created_at);
