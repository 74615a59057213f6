-- «Вход с кодом»: a TOTP secret (RFC 6238) of a staff member, operator or
-- admin, sealed with DATA_KEY. A pending enrolment has no `confirmed_at`;
-- the second factor is on once a code from the app confirmed it.
-- `last_step` is the 30-second step of the last code accepted: a code is
-- good once, never again within its step (or an earlier one).
CREATE TABLE second_factors (
    user_id BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    secret_enc TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    confirmed_at TIMESTAMP,
    last_step BIGINT NOT NULL DEFAULT 0
);

-- The browsers and programs an account signed in from, known by a hash
-- (of the device cookie, or of the User-Agent of a client without cookies):
-- a sign-in from one not seen before is told to the account's owner.
-- Forgotten after 400 days unseen.
CREATE TABLE known_devices (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    device_hash TEXT NOT NULL,
    label TEXT NOT NULL,
    first_seen_at TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX known_devices_device ON known_devices (user_id, device_hash);
CREATE INDEX known_devices_seen ON known_devices (last_seen_at);
