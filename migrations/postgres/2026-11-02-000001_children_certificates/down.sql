DROP TABLE messages;
DROP TABLE audit_log;
DROP TABLE certificates;
DROP TABLE children;
ALTER TABLE users DROP COLUMN organization_id;
DROP TABLE organizations;
DROP TABLE calendar_days;
