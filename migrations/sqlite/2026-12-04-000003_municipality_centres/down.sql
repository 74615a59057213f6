ALTER TABLE municipalities DROP COLUMN center_lon;
ALTER TABLE municipalities DROP COLUMN center_lat;
