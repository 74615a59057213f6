-- The day a contract ends early: the family asked to leave. That month is
-- charged for its days in force, later months are not charged.
ALTER TABLE contracts ADD COLUMN ends_on DATE;

-- A family's request to leave a program («заявление об отчислении»): one per
-- application. The organization confirms it, or it is confirmed without it
-- on confirm_by; it takes effect on leave_on.
CREATE TABLE withdrawals (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    application_id BIGINT NOT NULL UNIQUE REFERENCES applications (id),
    leave_on DATE NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('requested', 'confirmed', 'done')),
    requested_by BIGINT NOT NULL REFERENCES users (id),
    requested_at TIMESTAMP NOT NULL,
    confirm_by DATE NOT NULL,
    -- Empty when confirmed because nobody answered in time.
    confirmed_by BIGINT REFERENCES users (id),
    confirmed_at TIMESTAMP,
    done_at TIMESTAMP
);
CREATE INDEX withdrawals_pending ON withdrawals (status, confirm_by);
