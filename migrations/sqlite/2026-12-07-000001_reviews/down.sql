DROP TABLE review_complaints;
DROP TABLE reviews;
ALTER TABLE programs DROP COLUMN reviews_count;
