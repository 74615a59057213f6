-- Money on a certificate, in kopecks. The four columns always equal the sums
-- of the certificate's ledger entries; none can go below zero.
ALTER TABLE certificates ADD COLUMN credited BIGINT NOT NULL DEFAULT 0;
ALTER TABLE certificates ADD COLUMN available BIGINT NOT NULL DEFAULT 0 CHECK (available >= 0);
ALTER TABLE certificates ADD COLUMN reserved BIGINT NOT NULL DEFAULT 0 CHECK (reserved >= 0);
ALTER TABLE certificates ADD COLUMN spent BIGINT NOT NULL DEFAULT 0 CHECK (spent >= 0);
-- open applications of a child (submitted, waiting, confirmed), for the limit
ALTER TABLE children ADD COLUMN open_applications INTEGER NOT NULL DEFAULT 0 CHECK (open_applications >= 0);

-- The funding programme of a municipality for a calendar year (ПФ ДОД).
-- `funded_count` and `funded_volume` grow by conditional updates only, so the
-- limits hold when several operators approve at once.
CREATE TABLE funding_periods (
    id BIGSERIAL PRIMARY KEY,
    municipality_id BIGINT NOT NULL REFERENCES municipalities (id),
    year INTEGER NOT NULL,
    nominal BIGINT NOT NULL CHECK (nominal > 0),
    max_certificates INTEGER NOT NULL CHECK (max_certificates > 0),
    max_volume BIGINT NOT NULL CHECK (max_volume > 0),
    starts_on DATE NOT NULL,
    ends_on DATE NOT NULL,
    funded_count INTEGER NOT NULL DEFAULT 0,
    funded_volume BIGINT NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (municipality_id, year),
    CHECK (funded_count <= max_certificates AND funded_volume <= max_volume)
);

-- A family's request to credit the year's nominal to a certificate.
CREATE TABLE funding_requests (
    id BIGSERIAL PRIMARY KEY,
    certificate_id BIGINT NOT NULL REFERENCES certificates (id),
    period_id BIGINT NOT NULL REFERENCES funding_periods (id),
    requested_by BIGINT NOT NULL REFERENCES users (id),
    status TEXT NOT NULL CHECK (status IN ('submitted', 'approved', 'refused')),
    due_date DATE NOT NULL,
    reason TEXT,
    comment TEXT,
    decided_by BIGINT REFERENCES users (id),
    decided_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
-- one live request per certificate and period
CREATE UNIQUE INDEX funding_requests_live ON funding_requests (certificate_id, period_id)
    WHERE status IN ('submitted', 'approved');
CREATE INDEX funding_requests_queue ON funding_requests (status, created_at);

-- Applications («заявки») of children to groups. `organization_id` and
-- `municipality_id` are copied from the program for scoping the lists.
CREATE TABLE applications (
    id BIGSERIAL PRIMARY KEY,
    child_id BIGINT NOT NULL REFERENCES children (id),
    group_id BIGINT NOT NULL REFERENCES program_groups (id),
    program_id BIGINT NOT NULL REFERENCES programs (id),
    organization_id BIGINT NOT NULL REFERENCES organizations (id),
    created_by BIGINT NOT NULL REFERENCES users (id),
    status TEXT NOT NULL CHECK (status IN ('waiting', 'submitted', 'confirmed', 'rejected', 'cancelled',
                                           'enrolled', 'completed', 'expelled')),
    reason TEXT,
    comment TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
-- a child applies to a group once while the application is alive
CREATE UNIQUE INDEX applications_live ON applications (child_id, group_id)
    WHERE status IN ('waiting', 'submitted', 'confirmed', 'enrolled');
CREATE INDEX applications_child ON applications (child_id, created_at);
CREATE INDEX applications_group ON applications (group_id, status, id);
CREATE INDEX applications_organization ON applications (organization_id, status, created_at);

-- A contract (offer) for a module of a certified program, paid by certificate.
CREATE TABLE contracts (
    id BIGSERIAL PRIMARY KEY,
    application_id BIGINT NOT NULL REFERENCES applications (id),
    certificate_id BIGINT NOT NULL REFERENCES certificates (id),
    module_id BIGINT NOT NULL REFERENCES program_modules (id),
    organization_id BIGINT NOT NULL REFERENCES organizations (id),
    price BIGINT NOT NULL CHECK (price > 0),
    months INTEGER NOT NULL CHECK (months > 0),
    first_month DATE NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('offered', 'active', 'completed', 'terminated', 'withdrawn')),
    charged BIGINT NOT NULL DEFAULT 0,
    accepted_at TIMESTAMP,
    ended_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK (charged <= price)
);
-- one offered or active contract per application
CREATE UNIQUE INDEX contracts_live ON contracts (application_id) WHERE status IN ('offered', 'active');
CREATE INDEX contracts_status ON contracts (status, first_month);
CREATE INDEX contracts_certificate ON contracts (certificate_id);

-- The append-only money ledger of certificates. `amount` > 0; the kind says
-- how it moves: credit → available; reserve: available → reserved;
-- charge: reserved → spent; release: reserved → available.
CREATE TABLE ledger_entries (
    id BIGSERIAL PRIMARY KEY,
    certificate_id BIGINT NOT NULL REFERENCES certificates (id),
    kind TEXT NOT NULL CHECK (kind IN ('credit', 'reserve', 'charge', 'release')),
    amount BIGINT NOT NULL CHECK (amount > 0),
    period_id BIGINT REFERENCES funding_periods (id),
    contract_id BIGINT REFERENCES contracts (id),
    month DATE,
    reason TEXT NOT NULL,
    created_by BIGINT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX ledger_entries_certificate ON ledger_entries (certificate_id, id);
-- a period's nominal is credited once; a contract's month is charged once
CREATE UNIQUE INDEX ledger_entries_credit ON ledger_entries (certificate_id, period_id) WHERE kind = 'credit';
CREATE UNIQUE INDEX ledger_entries_charge ON ledger_entries (contract_id, month) WHERE kind = 'charge';
CREATE INDEX ledger_entries_month ON ledger_entries (kind, month);

-- Answers to POSTs sent with an Idempotency-Key, replayed on a retry.
CREATE TABLE idempotency_keys (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status INTEGER,
    body TEXT,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
