DROP INDEX certificates_decision_queue;
ALTER TABLE certificates DROP COLUMN decision_due;
ALTER TABLE organizations DROP COLUMN can_view_personal_data;
ALTER TABLE organizations DROP COLUMN can_confirm;
ALTER TABLE region_settings DROP COLUMN academic_year;
ALTER TABLE region_settings DROP COLUMN decision_days;
ALTER TABLE region_settings DROP COLUMN documents_days;
ALTER TABLE region_settings DROP COLUMN confirmation_by;
