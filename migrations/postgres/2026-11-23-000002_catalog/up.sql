-- The organizations registry kept by the operator.
ALTER TABLE organizations ADD COLUMN kind TEXT NOT NULL DEFAULT 'education'
    CHECK (kind IN ('education', 'culture', 'sport', 'private'));
ALTER TABLE organizations ADD COLUMN lat DOUBLE PRECISION;
ALTER TABLE organizations ADD COLUMN lon DOUBLE PRECISION;
ALTER TABLE organizations ADD COLUMN website TEXT NOT NULL DEFAULT '';
ALTER TABLE organizations ADD COLUMN is_provider BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE organizations ADD COLUMN status TEXT NOT NULL DEFAULT 'active'
    CHECK (status IN ('active', 'suspended'));
-- name and INN lower-cased with ё read as е, for the registry search
ALTER TABLE organizations ADD COLUMN search_key TEXT NOT NULL DEFAULT '';
CREATE INDEX organizations_updated ON organizations (updated_at);
CREATE INDEX organizations_registry ON organizations (municipality_id, name);

-- Programs of organizations. `teachers`: one name per line.
CREATE TABLE programs (
    id BIGSERIAL PRIMARY KEY,
    organization_id BIGINT NOT NULL REFERENCES organizations (id),
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    goals TEXT NOT NULL,
    direction TEXT NOT NULL CHECK (direction IN ('technical', 'natural_science', 'physical_sports', 'arts',
                                                 'tourism_local_history', 'social_humanitarian')),
    profile TEXT NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('start', 'basic', 'advanced')),
    age_min INTEGER NOT NULL,
    age_max INTEGER NOT NULL,
    municipality_id BIGINT NOT NULL REFERENCES municipalities (id),
    address TEXT NOT NULL,
    lat DOUBLE PRECISION NOT NULL,
    lon DOUBLE PRECISION NOT NULL,
    duration_months INTEGER NOT NULL,
    teachers TEXT NOT NULL,
    cost_type TEXT NOT NULL CHECK (cost_type IN ('free', 'paid', 'certificate')),
    contact_name TEXT NOT NULL,
    contact_phone TEXT NOT NULL,
    contact_email TEXT NOT NULL,
    disability_friendly BOOLEAN NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'moderation', 'returned', 'published', 'archived')),
    certified BOOLEAN NOT NULL DEFAULT FALSE,
    moderation_comment TEXT,
    rating DOUBLE PRECISION,
    applications_count BIGINT NOT NULL DEFAULT 0,
    published_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX programs_organization ON programs (organization_id, status);
CREATE INDEX programs_moderation ON programs (status, municipality_id);
CREATE INDEX programs_updated ON programs (updated_at);

-- Modules of a program: hours and price in kopecks.
CREATE TABLE program_modules (
    id BIGSERIAL PRIMARY KEY,
    program_id BIGINT NOT NULL REFERENCES programs (id),
    name TEXT NOT NULL,
    hours INTEGER NOT NULL,
    price BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX program_modules_program ON program_modules (program_id);

-- Study groups. `schedule`: JSON list of lessons; `enrolled`: children enrolled.
CREATE TABLE program_groups (
    id BIGSERIAL PRIMARY KEY,
    program_id BIGINT NOT NULL REFERENCES programs (id),
    name TEXT NOT NULL,
    teacher TEXT NOT NULL,
    schedule TEXT NOT NULL,
    capacity INTEGER NOT NULL,
    enrolled INTEGER NOT NULL DEFAULT 0,
    start_date DATE NOT NULL,
    end_date DATE NOT NULL,
    age_min INTEGER NOT NULL,
    age_max INTEGER NOT NULL,
    enrolment_open BOOLEAN NOT NULL,
    enrolment_from DATE,
    enrolment_to DATE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX program_groups_program ON program_groups (program_id);
