-- «Сообщить, когда появятся места»: a family asks to be told once when a
-- full group (`group_id`), or a program without an open group (`group_id`
-- NULL), has free places again. One alert each, in the order asked; then the
-- request is spent (`alerted_at`). The group is not a foreign key: a group
-- removed leaves its requests unanswerable, never blocks the removal.
CREATE TABLE spot_alerts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users (id),
    program_id BIGINT NOT NULL REFERENCES programs (id),
    group_id BIGINT,
    token_hash TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    alerted_at TIMESTAMP,
    cancelled_at TIMESTAMP
);
-- One open request per family and group (or program).
CREATE UNIQUE INDEX spot_alerts_open ON spot_alerts (user_id, program_id, COALESCE(group_id, 0))
    WHERE alerted_at IS NULL AND cancelled_at IS NULL;
CREATE INDEX spot_alerts_waiting ON spot_alerts (program_id, id) WHERE alerted_at IS NULL AND cancelled_at IS NULL;
CREATE UNIQUE INDEX spot_alerts_token ON spot_alerts (token_hash);
