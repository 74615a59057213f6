DROP TABLE municipality_populations;
