-- A correction of an already charged month (the contract ended earlier than
-- the month was charged for) gives back the difference: a `refund` entry,
-- spent → reserved, released with the rest.
ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_kind_check;
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_kind_check
    CHECK (kind IN ('credit', 'reserve', 'charge', 'release', 'expire', 'refund'));
CREATE UNIQUE INDEX ledger_entries_refund ON ledger_entries (contract_id, month) WHERE kind = 'refund';
CREATE INDEX ledger_entries_contract ON ledger_entries (contract_id);

-- The share of a month's expected charges a provider's advance may reach.
ALTER TABLE funding_periods ADD COLUMN advance_percent INTEGER NOT NULL DEFAULT 80
    CHECK (advance_percent BETWEEN 0 AND 100);

-- A provider's monthly advance request and invoice (ПФДО rules): one of each
-- kind per organization and month. The municipality is the organization's,
-- fixed when the request is made: the operator's queue reads it.
CREATE TABLE payment_requests (
    id BIGSERIAL PRIMARY KEY,
    organization_id BIGINT NOT NULL REFERENCES organizations (id),
    municipality_id BIGINT NOT NULL REFERENCES municipalities (id),
    month DATE NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('advance', 'invoice')),
    status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'approved', 'returned', 'paid')),
    amount BIGINT NOT NULL,
    charges BIGINT NOT NULL DEFAULT 0,
    corrections BIGINT NOT NULL DEFAULT 0,
    advance BIGINT NOT NULL DEFAULT 0,
    note TEXT,
    return_comment TEXT,
    payment_order TEXT,
    paid_on DATE,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    submitted_at TIMESTAMP,
    decided_by BIGINT REFERENCES users (id),
    decided_at TIMESTAMP,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (organization_id, month, kind)
);
CREATE INDEX payment_requests_queue ON payment_requests (municipality_id, status, month);

-- The lines of an invoice, fixed when it is sent: each charge or refund entry
-- of the ledger is paid through one invoice only.
CREATE TABLE payment_lines (
    id BIGSERIAL PRIMARY KEY,
    request_id BIGINT NOT NULL REFERENCES payment_requests (id),
    ledger_entry_id BIGINT NOT NULL UNIQUE REFERENCES ledger_entries (id),
    contract_id BIGINT NOT NULL REFERENCES contracts (id),
    month DATE NOT NULL,
    amount BIGINT NOT NULL,
    original BIGINT,
    corrected BIGINT
);
CREATE INDEX payment_lines_request ON payment_lines (request_id);
