DROP TABLE rate_limits;
DROP TABLE outbox_emails;
DROP TABLE refresh_tokens;
DROP TABLE email_tokens;
DROP TABLE users;
DROP TABLE municipalities;
DROP TABLE region_settings;
