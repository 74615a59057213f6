-- Who confirms certificates in this region: `points` — activation points the
-- operator authorised (organizations.can_confirm), besides the operator;
-- `operator` — only the operator (РМЦ/МОЦ), within `decision_days` working
-- days of the full package of documents (seed 001).
ALTER TABLE region_settings ADD COLUMN confirmation_by TEXT NOT NULL DEFAULT 'points'
    CHECK (confirmation_by IN ('points', 'operator'));
ALTER TABLE region_settings ADD COLUMN documents_days INTEGER NOT NULL DEFAULT 7
    CHECK (documents_days BETWEEN 1 AND 30);
ALTER TABLE region_settings ADD COLUMN decision_days INTEGER NOT NULL DEFAULT 3
    CHECK (decision_days BETWEEN 1 AND 30);
-- The current academic year by its first calendar year (2026 = 2026/2027).
ALTER TABLE region_settings ADD COLUMN academic_year INTEGER NOT NULL DEFAULT 2026
    CHECK (academic_year BETWEEN 2000 AND 2100);

-- The two rights of an organization (seed 004): to confirm certificates, and
-- to see the full personal data of a record (documents, СНИЛС).
ALTER TABLE organizations ADD COLUMN can_confirm BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE organizations ADD COLUMN can_view_personal_data BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE organizations SET can_confirm = can_activate, can_view_personal_data = can_activate;

-- When the operator must decide on a certificate whose documents are complete.
ALTER TABLE certificates ADD COLUMN decision_due DATE;
UPDATE certificates SET decision_due = date(
        CASE WHEN data_confirmed_at > application_received_at THEN data_confirmed_at ELSE application_received_at END,
        '+3 days')
    WHERE status = 'pending' AND data_confirmed_at IS NOT NULL AND application_received_at IS NOT NULL;
CREATE INDEX certificates_decision_queue ON certificates (status, decision_due);
