ALTER TABLE funding_periods DROP COLUMN expired_at;
DROP INDEX ledger_entries_expire;
DELETE FROM ledger_entries WHERE kind = 'expire';
