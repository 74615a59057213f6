-- Events of organizations (contests, festivals, open days, master classes,
-- excursions), moderated by the municipality's operator like programs.
-- Times are the region's local time. `taken` counts the registered
-- children and never passes `capacity` (NULL: no limit); `waiting`
-- counts the waiting list. Both are kept by the sign-up's transaction,
-- after the event's row lock.
CREATE TABLE events (
    id BIGSERIAL PRIMARY KEY,
    organization_id BIGINT NOT NULL REFERENCES organizations (id),
    municipality_id BIGINT NOT NULL REFERENCES municipalities (id),
    program_id BIGINT REFERENCES programs (id),
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    direction TEXT,
    description TEXT NOT NULL,
    age_min INTEGER NOT NULL,
    age_max INTEGER NOT NULL,
    online BOOLEAN NOT NULL,
    address TEXT NOT NULL,
    lat DOUBLE PRECISION,
    lon DOUBLE PRECISION,
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP NOT NULL,
    signup_from TIMESTAMP,
    signup_to TIMESTAMP,
    capacity INTEGER CHECK (capacity IS NULL OR capacity > 0),
    taken INTEGER NOT NULL DEFAULT 0 CHECK (taken >= 0 AND (capacity IS NULL OR taken <= capacity)),
    waiting INTEGER NOT NULL DEFAULT 0 CHECK (waiting >= 0),
    certificate_required BOOLEAN NOT NULL,
    price BIGINT NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'draft',
    moderation_comment TEXT,
    published_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX events_calendar ON events (status, starts_at);
CREATE INDEX events_organization ON events (organization_id, starts_at);
CREATE INDEX events_municipality ON events (municipality_id, status, starts_at);

-- A child's place at an event: one row per event and child; a cancelled
-- sign-up is signed up again in the same row (a new place in the queue).
-- `reminded_at` is set by the transaction that queues the reminder of the
-- day before, so it is sent once whatever restarts or runs twice.
CREATE TABLE event_signups (
    id BIGSERIAL PRIMARY KEY,
    event_id BIGINT NOT NULL REFERENCES events (id),
    child_id BIGINT NOT NULL REFERENCES children (id),
    parent_id BIGINT NOT NULL REFERENCES users (id),
    status TEXT NOT NULL CHECK (status IN ('registered', 'waiting', 'cancelled')),
    queued_at TIMESTAMP NOT NULL,
    attended BOOLEAN,
    reminded_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX event_signups_child ON event_signups (event_id, child_id);
CREATE INDEX event_signups_waiting ON event_signups (event_id, status, queued_at, id);
CREATE INDEX event_signups_parent ON event_signups (parent_id);
CREATE INDEX event_signups_unreminded ON event_signups (event_id) WHERE reminded_at IS NULL AND status = 'registered';
