DROP INDEX certificates_registry;
CREATE INDEX certificates_registry ON certificates (municipality_id, birth_date, sex, created_at, status);
DROP INDEX children_birth;
CREATE INDEX children_birth ON children (municipality_id, birth_date, sex);
