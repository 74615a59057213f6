-- The first right to continue (189-ФЗ): a group of the next program year
-- holds places until this day for children who finished a year of the same
-- program.
ALTER TABLE program_groups ADD COLUMN hold_until DATE;

-- A place held in a group for one continuing child: counted in the group's
-- `enrolled` until the child applies (the application takes it) or the day
-- passes (the place goes to the waiting list).
CREATE TABLE held_places (
    id BIGSERIAL PRIMARY KEY,
    group_id BIGINT NOT NULL REFERENCES program_groups (id),
    child_id BIGINT NOT NULL REFERENCES children (id),
    until DATE NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (group_id, child_id)
);
CREATE INDEX held_places_until ON held_places (until);
