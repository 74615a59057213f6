-- A learner of 14+ registers himself: his birth date is on the account.
ALTER TABLE users ADD COLUMN birth_date DATE;
