DROP TABLE duplicate_dismissals;
DROP INDEX children_birth_date;
DROP INDEX ledger_entries_period;
DROP INDEX children_birth;
DROP INDEX applications_status;
DROP INDEX applications_decided;
ALTER TABLE applications DROP COLUMN decided_at;
