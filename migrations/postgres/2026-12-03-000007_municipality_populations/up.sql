-- The population of children aged 5–18 of a municipality by year, entered by
-- the admin for the coverage statistics (the target model's key figure).
CREATE TABLE municipality_populations (
    municipality_id BIGINT NOT NULL REFERENCES municipalities (id),
    year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    children BIGINT NOT NULL CHECK (children >= 0),
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (municipality_id, year)
);
