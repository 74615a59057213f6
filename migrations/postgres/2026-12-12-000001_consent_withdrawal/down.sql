DROP INDEX children_adult_due;
DROP INDEX users_depersonalize_due;
DROP INDEX children_depersonalize_due;
ALTER TABLE users DROP COLUMN depersonalized_at;
ALTER TABLE users DROP COLUMN depersonalize_after;
ALTER TABLE users DROP COLUMN consent_withdrawn_at;
ALTER TABLE children DROP COLUMN depersonalized_at;
ALTER TABLE children DROP COLUMN depersonalize_after;
ALTER TABLE children DROP COLUMN consent_withdrawn_at;
