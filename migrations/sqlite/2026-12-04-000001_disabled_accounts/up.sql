-- A staff account switched off by the admin (or the operator above it): it
-- cannot sign in and its sessions end at once; switching it on again keeps
-- everything it did.
ALTER TABLE users ADD COLUMN disabled_at TIMESTAMP;
