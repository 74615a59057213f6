-- Reviews of programs by families whose child took part, one per child and
-- program. A program's `rating` is the mean of its published reviews and
-- `reviews_count` their number, both kept by the transaction that writes,
-- hides or shows a review; the ratings seeded before reviews existed had no
-- reviews behind them and are cleared.
ALTER TABLE programs ADD COLUMN reviews_count INTEGER NOT NULL DEFAULT 0;
UPDATE programs SET rating = NULL;

CREATE TABLE reviews (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    program_id BIGINT NOT NULL REFERENCES programs (id),
    organization_id BIGINT NOT NULL REFERENCES organizations (id),
    municipality_id BIGINT NOT NULL REFERENCES municipalities (id),
    child_id BIGINT NOT NULL REFERENCES children (id),
    author_id BIGINT NOT NULL REFERENCES users (id),
    stars INTEGER NOT NULL CHECK (stars BETWEEN 1 AND 5),
    body TEXT NOT NULL,
    participant BOOLEAN NOT NULL,
    status TEXT NOT NULL DEFAULT 'published' CHECK (status IN ('published', 'hidden')),
    hidden_reason TEXT,
    hidden_by BIGINT REFERENCES users (id),
    hidden_at TIMESTAMP,
    reply TEXT,
    reply_by BIGINT REFERENCES users (id),
    reply_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX reviews_child ON reviews (program_id, child_id);
CREATE INDEX reviews_program ON reviews (program_id, status, id);
CREATE INDEX reviews_organization ON reviews (organization_id, id);
CREATE INDEX reviews_municipality ON reviews (municipality_id, id);
CREATE INDEX reviews_author ON reviews (author_id);

-- Complaints about a review from any signed-in user, one per user and
-- review, for the municipality's operator; `resolved_at` is set when the
-- operator hides the review or dismisses the complaints.
CREATE TABLE review_complaints (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    review_id BIGINT NOT NULL REFERENCES reviews (id) ON DELETE CASCADE,
    account_id BIGINT NOT NULL REFERENCES users (id),
    reason TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    resolved_at TIMESTAMP
);
CREATE UNIQUE INDEX review_complaints_once ON review_complaints (review_id, account_id);
CREATE INDEX review_complaints_open ON review_complaints (review_id) WHERE resolved_at IS NULL;
