-- The applicant's online consents (seed 004: «Галочки должен поставить
-- Заявитель!»): the account's at registration, a child's at the certificate
-- request; with the version of the text and the time.
CREATE TABLE consents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users (id),
    child_id BIGINT REFERENCES children (id),
    kind TEXT NOT NULL CHECK (kind IN ('personal_data', 'rules')),
    version TEXT NOT NULL,
    given_at TIMESTAMP NOT NULL
);
CREATE INDEX consents_child ON consents (child_id, given_at);
CREATE INDEX consents_user ON consents (user_id, given_at);
