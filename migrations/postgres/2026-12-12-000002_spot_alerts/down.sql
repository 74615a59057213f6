DROP TABLE spot_alerts;
