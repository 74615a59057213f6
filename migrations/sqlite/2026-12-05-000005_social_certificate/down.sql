DROP TABLE certificate_accounts;
ALTER TABLE programs DROP COLUMN funding;
ALTER TABLE contracts DROP COLUMN account;
ALTER TABLE ledger_entries DROP COLUMN account;
