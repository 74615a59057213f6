-- Region settings: a single row.
CREATE TABLE region_settings (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    name TEXT NOT NULL,
    child_age_min INTEGER NOT NULL CHECK (child_age_min >= 0),
    child_age_max INTEGER NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK (child_age_max > child_age_min)
);
INSERT INTO region_settings (id, name, child_age_min, child_age_max, updated_at)
VALUES (1, 'Регион', 5, 18, CURRENT_TIMESTAMP);

CREATE TABLE municipalities (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('parent', 'learner', 'org_staff', 'operator', 'admin')),
    phone TEXT NOT NULL,
    last_name TEXT NOT NULL,
    first_name TEXT NOT NULL,
    middle_name TEXT,
    municipality_id BIGINT REFERENCES municipalities (id),
    email_confirmed_at TIMESTAMP,
    passport_series_enc TEXT,
    passport_number_enc TEXT,
    passport_issued_by TEXT,
    passport_issued_at DATE,
    address TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- One-time tokens of emailed links, stored as SHA-256 hashes.
CREATE TABLE email_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL CHECK (purpose IN ('confirm_email', 'password_reset')),
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);
CREATE INDEX email_tokens_user ON email_tokens (user_id, purpose);

-- Rotating refresh tokens; a family is one sign-in, revoked together on reuse.
CREATE TABLE refresh_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    family TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP,
    revoked_at TIMESTAMP
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);

-- Transactional outbox of emails; rows are never deleted by the sender.
CREATE TABLE outbox_emails (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    kind TEXT NOT NULL,
    to_address TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'sent')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    locked_until TIMESTAMP,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP
);
CREATE INDEX outbox_emails_due ON outbox_emails (status, next_attempt_at);

-- Fixed-window counters for rate limiting, shared by every API instance.
CREATE TABLE rate_limits (
    bucket TEXT PRIMARY KEY,
    window_start BIGINT NOT NULL,
    hits INTEGER NOT NULL
);
