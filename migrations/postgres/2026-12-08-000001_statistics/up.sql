-- When an organization first decided on an application (confirmed, rejected
-- or enrolled it): the statistics' time from application to decision.
ALTER TABLE applications ADD COLUMN decided_at TIMESTAMP;
UPDATE applications SET decided_at = COALESCE(
    (SELECT MIN(c.created_at) FROM contracts c WHERE c.application_id = applications.id),
    updated_at)
WHERE status IN ('confirmed', 'rejected', 'enrolled', 'completed', 'expelled');
CREATE INDEX applications_decided ON applications (decided_at);
CREATE INDEX applications_status ON applications (status, created_at);
CREATE INDEX children_birth ON children (municipality_id, birth_date);
CREATE INDEX ledger_entries_period ON ledger_entries (period_id);
