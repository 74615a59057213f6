-- One row per enrolment (enrolled, finished or expelled): the child's
-- municipality, birth date and sex, the program's direction and whether it
-- is for children with disabilities, and the days the child studied — from
-- the group's start to its end, or to the region's day of the expulsion.
-- Kept by the transaction of every change to one of these facts
-- (`studies`); coverage reads it instead of joining four tables.
CREATE TABLE study_spans (
    application_id INTEGER PRIMARY KEY REFERENCES applications (id) ON DELETE CASCADE,
    child_id BIGINT NOT NULL,
    municipality_id BIGINT NOT NULL,
    birth_date DATE NOT NULL,
    sex TEXT NOT NULL,
    direction TEXT NOT NULL,
    disability_friendly BOOLEAN NOT NULL,
    starts DATE NOT NULL,
    ends DATE NOT NULL
);
-- Covering: a municipality's studies and the region's are read from the index alone.
CREATE INDEX study_spans_municipality
    ON study_spans (municipality_id, starts, ends, child_id, birth_date, sex, direction, disability_friendly);
INSERT INTO study_spans
    (application_id, child_id, municipality_id, birth_date, sex, direction, disability_friendly, starts, ends)
SELECT a.id, a.child_id, ch.municipality_id, ch.birth_date, ch.sex, p.direction, p.disability_friendly, g.start_date,
       CASE WHEN a.status = 'expelled' AND date(a.updated_at, '+3 hours') < g.end_date THEN date(a.updated_at, '+3 hours') ELSE g.end_date END
FROM applications a
JOIN children ch ON ch.id = a.child_id
JOIN program_groups g ON g.id = a.group_id
JOIN programs p ON p.id = a.program_id
WHERE a.status IN ('enrolled', 'completed', 'expelled');
-- The registry's counts read the certificates alone: each carries a copy of
-- its child's municipality, birth date and sex (`studies`).
ALTER TABLE certificates ADD COLUMN municipality_id BIGINT;
ALTER TABLE certificates ADD COLUMN birth_date DATE;
ALTER TABLE certificates ADD COLUMN sex TEXT;
UPDATE certificates SET
    municipality_id = (SELECT ch.municipality_id FROM children ch WHERE ch.id = certificates.child_id),
    birth_date = (SELECT ch.birth_date FROM children ch WHERE ch.id = certificates.child_id),
    sex = (SELECT ch.sex FROM children ch WHERE ch.id = certificates.child_id);
CREATE INDEX certificates_registry ON certificates (municipality_id, birth_date, sex, created_at, status);
-- Certificates by status and kind, of the region or a municipality, read from the index alone.
CREATE INDEX certificates_status_kind ON certificates (status, kind, created_at, municipality_id);
-- The waiting lists by organization, read from the index alone.
CREATE INDEX applications_waiting ON applications (status, organization_id, child_id);
