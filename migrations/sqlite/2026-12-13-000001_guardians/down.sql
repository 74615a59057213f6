DROP TABLE guardians;
