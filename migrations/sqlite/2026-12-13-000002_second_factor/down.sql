DROP TABLE known_devices;
DROP TABLE second_factors;
