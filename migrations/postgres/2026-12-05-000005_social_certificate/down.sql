DROP TABLE certificate_accounts;
ALTER TABLE programs DROP COLUMN funding;
ALTER TABLE contracts DROP COLUMN account;
ALTER TABLE ledger_entries DROP COLUMN account;
ALTER TABLE funding_periods DROP CONSTRAINT funding_periods_municipality_year_kind;
ALTER TABLE funding_periods ADD CONSTRAINT funding_periods_municipality_id_year_key UNIQUE (municipality_id, year);
ALTER TABLE funding_periods DROP COLUMN unit;
ALTER TABLE funding_periods DROP COLUMN kind;
