-- The registry's counts read one age band at a time, grouped by municipality
-- and sex: with the sex before the birth date, each band is one range of the
-- index per municipality and sex, read in the grouping's order.
DROP INDEX children_birth;
CREATE INDEX children_birth ON children (municipality_id, sex, birth_date);
DROP INDEX certificates_registry;
CREATE INDEX certificates_registry ON certificates (municipality_id, sex, birth_date, created_at, status);
