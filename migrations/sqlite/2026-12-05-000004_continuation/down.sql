DROP TABLE held_places;
ALTER TABLE program_groups DROP COLUMN hold_until;
