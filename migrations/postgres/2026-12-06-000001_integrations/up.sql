-- Integration clients: external systems (the federal portal, a regional
-- app) with OAuth 2.0 client credentials. The secret is kept only as a
-- SHA-256 hash (it is 256 random bits); `secret_version` is in every access
-- token, so a rotated secret or a suspension ends the old tokens at once.
-- `rate_tat_ms` is the rate limit's state (GCRA: the theoretical arrival
-- time of the next request, epoch milliseconds), shared by every instance.
CREATE TABLE integration_clients (
    id BIGSERIAL PRIMARY KEY,
    client_id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    contact TEXT NOT NULL,
    scopes TEXT NOT NULL,
    secret_hash TEXT NOT NULL,
    secret_version INTEGER NOT NULL DEFAULT 1,
    secret_issued_at TIMESTAMP NOT NULL,
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
    rate_tat_ms BIGINT NOT NULL DEFAULT 0,
    created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP
);

-- What each client asked and what it was answered, for the admin.
CREATE TABLE integration_requests (
    id BIGSERIAL PRIMARY KEY,
    client_id BIGINT NOT NULL REFERENCES integration_clients (id),
    at TIMESTAMP NOT NULL,
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    status INTEGER NOT NULL,
    duration_ms INTEGER NOT NULL
);
CREATE INDEX integration_requests_client ON integration_requests (client_id, id);
CREATE INDEX integration_requests_at ON integration_requests (at);

-- An application an integrator submitted: its system and its own id, unique per client.
ALTER TABLE applications ADD COLUMN source_client_id BIGINT REFERENCES integration_clients (id);
ALTER TABLE applications ADD COLUMN external_id TEXT;
CREATE UNIQUE INDEX applications_external ON applications (source_client_id, external_id);

-- Where a client wants events sent; the signing secret is sealed with DATA_KEY.
CREATE TABLE webhook_subscriptions (
    id BIGSERIAL PRIMARY KEY,
    client_id BIGINT NOT NULL REFERENCES integration_clients (id),
    url TEXT NOT NULL,
    events TEXT NOT NULL,
    secret TEXT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX webhook_subscriptions_client ON webhook_subscriptions (client_id);

-- The outbox of events, written in the transaction of the change.
CREATE TABLE webhook_events (
    id BIGSERIAL PRIMARY KEY,
    event_id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    object TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

-- One event for one subscription: sent in order per subscription and object.
CREATE TABLE webhook_deliveries (
    id BIGSERIAL PRIMARY KEY,
    event_id BIGINT NOT NULL REFERENCES webhook_events (id),
    subscription_id BIGINT NOT NULL REFERENCES webhook_subscriptions (id),
    object TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    last_status INTEGER,
    last_error TEXT,
    last_response TEXT,
    delivered_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
-- The sender takes the first pending delivery of each subscription and object.
CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (subscription_id, object, id) WHERE status = 'pending';

CREATE TABLE webhook_attempts (
    id BIGSERIAL PRIMARY KEY,
    delivery_id BIGINT NOT NULL REFERENCES webhook_deliveries (id),
    at TIMESTAMP NOT NULL,
    status INTEGER,
    error TEXT,
    duration_ms INTEGER NOT NULL
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, id);

-- The registry's delta export reads certificates by their last change.
CREATE INDEX certificates_updated ON certificates (updated_at, id);
