-- A second guardian («мать», «отец», «опекун», «попечитель») of a child:
-- invited by email by the family account that holds the child, then, once
-- the invited adult signs in with that address and accepts, able to see the
-- child's certificate, applications and contracts, to apply and to sign.
-- The holder may revoke it; the guardian may leave. Rows are kept as the
-- history of who had access (`ended_at`).
CREATE TABLE guardians (
    id BIGSERIAL PRIMARY KEY,
    child_id BIGINT NOT NULL REFERENCES children (id),
    invited_by BIGINT NOT NULL REFERENCES users (id),
    -- The address invited, lower case: only the account with it may accept.
    email TEXT NOT NULL,
    relationship TEXT NOT NULL,
    token_hash TEXT NOT NULL,
    -- invited | active | revoked | expired
    status TEXT NOT NULL,
    user_id BIGINT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    accepted_at TIMESTAMP,
    ended_at TIMESTAMP,
    ended_by BIGINT REFERENCES users (id)
);
-- One open invitation or guardianship per child and address.
CREATE UNIQUE INDEX guardians_open ON guardians (child_id, email) WHERE ended_at IS NULL;
CREATE UNIQUE INDEX guardians_token ON guardians (token_hash);
-- The children an account is a guardian of.
CREATE INDEX guardians_of_user ON guardians (user_id, child_id) WHERE status = 'active';
