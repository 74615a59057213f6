DROP INDEX certificates_status_kind;
DROP INDEX applications_waiting;
DROP INDEX certificates_registry;
ALTER TABLE certificates DROP COLUMN sex;
ALTER TABLE certificates DROP COLUMN birth_date;
ALTER TABLE certificates DROP COLUMN municipality_id;
DROP TABLE study_spans;
