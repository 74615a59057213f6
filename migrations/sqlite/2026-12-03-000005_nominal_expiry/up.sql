-- Seed 003: the nominal is given «на текущий календарный год». At the end of a
-- period the unreserved remainder of a certificate is withdrawn, once per period,
-- by an `expire` entry. SQLite cannot change a CHECK: the table is rebuilt.
CREATE TABLE ledger_entries_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    certificate_id BIGINT NOT NULL REFERENCES certificates (id),
    kind TEXT NOT NULL CHECK (kind IN ('credit', 'reserve', 'charge', 'release', 'expire')),
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

-- The period's expiry pass finished: every certificate's remainder was withdrawn.
ALTER TABLE funding_periods ADD COLUMN expired_at TIMESTAMP;
