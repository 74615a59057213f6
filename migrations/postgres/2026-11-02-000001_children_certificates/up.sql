-- Admin's overrides of the production calendar (the government's transfers).
CREATE TABLE calendar_days (
    day DATE PRIMARY KEY,
    working BOOLEAN NOT NULL,
    note TEXT NOT NULL
);

-- Organizations; the catalog extends them. `can_activate`: an activation point.
CREATE TABLE organizations (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL,
    inn TEXT NOT NULL UNIQUE,
    municipality_id BIGINT NOT NULL REFERENCES municipalities (id),
    address TEXT NOT NULL,
    phone TEXT NOT NULL,
    email TEXT NOT NULL,
    can_activate BOOLEAN NOT NULL DEFAULT FALSE,
    activation_contact TEXT,
    reception_hours TEXT,
    city_phone TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX organizations_activation ON organizations (municipality_id, can_activate);

ALTER TABLE users ADD COLUMN organization_id BIGINT REFERENCES organizations (id);

-- Children of family accounts. Document number and SNILS are encrypted; the
-- keyed hashes make "the same child twice" impossible, also under concurrency.
CREATE TABLE children (
    id BIGSERIAL PRIMARY KEY,
    parent_id BIGINT NOT NULL REFERENCES users (id),
    last_name TEXT NOT NULL,
    first_name TEXT NOT NULL,
    middle_name TEXT,
    birth_date DATE NOT NULL,
    sex TEXT NOT NULL CHECK (sex IN ('male', 'female')),
    document_type TEXT NOT NULL CHECK (document_type IN ('birth_certificate', 'passport')),
    document_series TEXT NOT NULL,
    document_number_enc TEXT NOT NULL,
    document_issued_at DATE NOT NULL,
    snils_enc TEXT NOT NULL,
    snils_hash TEXT NOT NULL UNIQUE,
    identity_hash TEXT NOT NULL UNIQUE,
    -- last name lower-cased with ё read as е, for the registry search
    last_name_key TEXT NOT NULL,
    address TEXT NOT NULL,
    municipality_id BIGINT NOT NULL REFERENCES municipalities (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX children_parent ON children (parent_id);
CREATE INDEX children_search ON children (last_name_key, birth_date);

-- One certificate per child, ever; the number is never reused.
CREATE TABLE certificates (
    id BIGSERIAL PRIMARY KEY,
    child_id BIGINT NOT NULL UNIQUE REFERENCES children (id),
    number TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('accounting', 'funded')),
    status TEXT NOT NULL CHECK (status IN ('pending', 'active', 'refused', 'lapsed', 'excluded')),
    documents_due DATE NOT NULL,
    reason TEXT,
    comment TEXT,
    data_confirmed_at TIMESTAMP,
    application_received_at TIMESTAMP,
    activated_at TIMESTAMP,
    decided_by BIGINT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX certificates_due ON certificates (status, documents_due);

-- Who viewed or changed a child's personal data, when, what and why.
CREATE TABLE audit_log (
    id BIGSERIAL PRIMARY KEY,
    actor_id BIGINT NOT NULL REFERENCES users (id),
    child_id BIGINT REFERENCES children (id),
    action TEXT NOT NULL,
    changes TEXT,
    reason TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX audit_log_child ON audit_log (child_id, created_at);

-- In-app messages of an account (shown in the cabinet beside the emails).
CREATE TABLE messages (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    read_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX messages_user ON messages (user_id, created_at);
