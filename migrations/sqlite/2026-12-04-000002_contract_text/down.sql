ALTER TABLE contracts DROP COLUMN text;
