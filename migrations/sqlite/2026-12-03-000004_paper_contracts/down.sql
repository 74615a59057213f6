ALTER TABLE contracts DROP COLUMN signed_on_paper;
