-- The catalog's poll finds groups whose places changed (a program card shows
-- free places) by this index.
CREATE INDEX program_groups_updated ON program_groups (updated_at);
