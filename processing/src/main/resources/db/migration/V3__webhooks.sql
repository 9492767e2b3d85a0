-- Webhooks: per-user endpoints for scene events, and a log of every delivery (the job queue sends them).

CREATE TABLE webhooks (
    id                 uuid        PRIMARY KEY,
    owner_id           uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    url                text        NOT NULL,
    description        text        NOT NULL DEFAULT '',
    -- Event types sent to this endpoint; an empty array means every type.
    events             text[]      NOT NULL DEFAULT '{}',
    -- Standard Webhooks secret ("whsec_" + base64). The previous one keeps signing until it expires, so a
    -- receiver can switch over without dropping deliveries.
    secret             text        NOT NULL,
    previous_secret    text,
    previous_until     timestamptz,
    created_at         timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX webhooks_owner ON webhooks (owner_id, created_at);

CREATE TABLE webhook_deliveries (
    -- Also the message id sent as webhook-id: a receiver deduplicates retries with it.
    id             uuid        PRIMARY KEY,
    webhook_id     uuid        NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    event_type     text        NOT NULL,
    payload        jsonb       NOT NULL,
    state          text        NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts       int         NOT NULL DEFAULT 0,
    last_status    int,
    last_error     text,
    created_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
    last_attempt_at timestamptz,
    delivered_at   timestamptz
);
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, created_at DESC);
