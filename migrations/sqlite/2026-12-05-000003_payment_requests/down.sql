DROP TABLE payment_lines;
DROP TABLE payment_requests;
DROP INDEX ledger_entries_contract;
DROP INDEX ledger_entries_refund;
ALTER TABLE funding_periods DROP COLUMN advance_percent;
