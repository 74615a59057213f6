ALTER TABLE users DROP COLUMN birth_date;
