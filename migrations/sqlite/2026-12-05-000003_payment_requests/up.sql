-- A correction of an already charged month (the contract ended earlier than
-- the month was charged for) gives back the difference: a `refund` entry,
-- spent → reserved, released with the rest. SQLite cannot change a CHECK:
-- the table is rebuilt.
CREATE TABLE ledger_entries_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    certificate_id BIGINT NOT NULL REFERENCES certificates (id),
    kind TEXT NOT NULL CHECK (kind IN ('credit', 'reserve', 'charge', 'release', 'expire', 'refund')),
    amount BIGINT NOT NULL CHECK (amount > 0),
    period_id BIGINT REFERENCES funding_periods (id),
    contract_id BIGINT REFERENCES contracts (id),
    month DATE,
    reason TEXT NOT NULL,
    created_by BIGINT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL
);
INSERT INTO ledger_entries_new SELECT id, certificate_id, kind, amount, period_id, contract_id, month, reason, created_by, created_at FROM ledger_entries;
DROP TABLE ledger_entries;
ALTER TABLE ledger_entries_new RENAME TO ledger_entries;
CREATE INDEX ledger_entries_certificate ON ledger_entries (certificate_id, id);
CREATE UNIQUE INDEX ledger_entries_credit ON ledger_entries (certificate_id, period_id) WHERE kind = 'credit';
CREATE UNIQUE INDEX ledger_entries_charge ON ledger_entries (contract_id, month) WHERE kind = 'charge';
CREATE INDEX ledger_entries_month ON ledger_entries (kind, month);
CREATE UNIQUE INDEX ledger_entries_expire ON ledger_entries (certificate_id, period_id) WHERE kind = 'expire';
CREATE UNIQUE INDEX ledger_entries_refund ON ledger_entries (contract_id, month) WHERE kind = 'refund';
CREATE INDEX ledger_entries_contract ON ledger_entries (contract_id);

-- The share of a month's expected charges a provider's advance may reach.
ALTER TABLE funding_periods ADD COLUMN advance_percent INTEGER NOT NULL DEFAULT 80
    CHECK (advance_percent BETWEEN 0 AND 100);

-- A provider's monthly advance request and invoice (ПФДО rules): one of each
-- kind per organization and month. The municipality is the organization's,
-- fixed when the request is made: the operator's queue reads it.
CREATE TABLE payment_requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
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
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id BIGINT NOT NULL REFERENCES payment_requests (id),
    ledger_entry_id BIGINT NOT NULL UNIQUE REFERENCES ledger_entries (id),
    contract_id BIGINT NOT NULL REFERENCES contracts (id),
    month DATE NOT NULL,
    amount BIGINT NOT NULL,
    original BIGINT,
    corrected BIGINT
);
CREATE INDEX payment_lines_request ON payment_lines (request_id);
