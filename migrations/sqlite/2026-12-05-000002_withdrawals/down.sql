DROP TABLE withdrawals;
ALTER TABLE contracts DROP COLUMN ends_on;
