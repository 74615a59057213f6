ALTER TABLE funding_periods DROP COLUMN expired_at;
DROP INDEX ledger_entries_expire;
DELETE FROM ledger_entries WHERE kind = 'expire';
ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_kind_check;
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_kind_check CHECK (kind IN ('credit', 'reserve', 'charge', 'release'));
