-- Seed 003: the nominal is given «на текущий календарный год». At the end of a
-- period the unreserved remainder of a certificate is withdrawn, once per period,
-- by an `expire` entry.
ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_kind_check;
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_kind_check
    CHECK (kind IN ('credit', 'reserve', 'charge', 'release', 'expire'));
CREATE UNIQUE INDEX ledger_entries_expire ON ledger_entries (certificate_id, period_id) WHERE kind = 'expire';

-- The period's expiry pass finished: every certificate's remainder was withdrawn.
ALTER TABLE funding_periods ADD COLUMN expired_at TIMESTAMP;
