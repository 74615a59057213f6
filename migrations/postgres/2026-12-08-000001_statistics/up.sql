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
CREATE INDEX children_birth_date ON children (birth_date);

-- Pairs of children the duplicate finder offered and an operator found to be
-- two children («не дубликат»): not offered again.
CREATE TABLE duplicate_dismissals (
    child_a BIGINT NOT NULL REFERENCES children (id),
    child_b BIGINT NOT NULL REFERENCES children (id),
    dismissed_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (child_a, child_b),
    CHECK (child_a < child_b)
);
