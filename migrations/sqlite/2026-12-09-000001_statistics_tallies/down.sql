DROP INDEX applications_decisions;
DROP INDEX applications_created;
DROP INDEX applications_status;
CREATE INDEX applications_status ON applications (status, created_at);
DROP INDEX ledger_entries_certificate_month;
DROP TABLE period_movements;
DROP TABLE ledger_months;
