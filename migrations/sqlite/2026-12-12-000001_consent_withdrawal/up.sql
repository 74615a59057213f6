-- A family withdraws its consent to the processing of a child's personal
-- data, or of the whole account's (152-ФЗ, ст. 9): the moment, the day by
-- which the data are depersonalized (fixed when withdrawn), and when they were.
ALTER TABLE children ADD COLUMN consent_withdrawn_at TIMESTAMP;
ALTER TABLE children ADD COLUMN depersonalize_after TIMESTAMP;
ALTER TABLE children ADD COLUMN depersonalized_at TIMESTAMP;
ALTER TABLE users ADD COLUMN consent_withdrawn_at TIMESTAMP;
ALTER TABLE users ADD COLUMN depersonalize_after TIMESTAMP;
ALTER TABLE users ADD COLUMN depersonalized_at TIMESTAMP;
-- The housekeeping finds the records due without reading the tables.
CREATE INDEX children_depersonalize_due ON children (depersonalize_after)
    WHERE depersonalize_after IS NOT NULL AND depersonalized_at IS NULL;
CREATE INDEX users_depersonalize_due ON users (depersonalize_after)
    WHERE depersonalize_after IS NOT NULL AND depersonalized_at IS NULL;
-- Grown-ups' records (18 and the retention period) not yet depersonalized.
CREATE INDEX children_adult_due ON children (birth_date) WHERE depersonalized_at IS NULL;
