-- Where the municipality's name is written on the catalog map when the
-- region has no tile server: its administrative centre.
ALTER TABLE municipalities ADD COLUMN center_lat DOUBLE PRECISION;
ALTER TABLE municipalities ADD COLUMN center_lon DOUBLE PRECISION;
