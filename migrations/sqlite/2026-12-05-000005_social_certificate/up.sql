-- The social certificate (189-ФЗ, 568-ФЗ): a funding period is of kind
-- `personified` (ПФДО, roubles) or `social`, whose nominal is in roubles or
-- in hours; a municipality has one period of each kind a year. SQLite cannot
-- change a table's UNIQUE: the table is rebuilt (foreign keys are checked
-- after the migrations, see `db::migrate`).
CREATE TABLE funding_periods_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    municipality_id BIGINT NOT NULL REFERENCES municipalities (id),
    year INTEGER NOT NULL,
    nominal BIGINT NOT NULL CHECK (nominal > 0),
    max_certificates INTEGER NOT NULL CHECK (max_certificates > 0),
    max_volume BIGINT NOT NULL CHECK (max_volume > 0),
    starts_on DATE NOT NULL,
    ends_on DATE NOT NULL,
    funded_count INTEGER NOT NULL DEFAULT 0,
    funded_volume BIGINT NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    expired_at TIMESTAMP,
    advance_percent INTEGER NOT NULL DEFAULT 80 CHECK (advance_percent BETWEEN 0 AND 100),
    kind TEXT NOT NULL DEFAULT 'personified' CHECK (kind IN ('personified', 'social')),
    unit TEXT NOT NULL DEFAULT 'rub' CHECK (unit IN ('rub', 'hour')),
    UNIQUE (municipality_id, year, kind),
    CHECK (kind = 'social' OR unit = 'rub'),
    CHECK (funded_count <= max_certificates AND funded_volume <= max_volume)
);
INSERT INTO funding_periods_new (id, municipality_id, year, nominal, max_certificates, max_volume, starts_on, ends_on,
    funded_count, funded_volume, created_at, updated_at, expired_at, advance_percent)
SELECT id, municipality_id, year, nominal, max_certificates, max_volume, starts_on, ends_on,
    funded_count, funded_volume, created_at, updated_at, expired_at, advance_percent FROM funding_periods;
DROP TABLE funding_periods;
ALTER TABLE funding_periods_new RENAME TO funding_periods;

-- Which of the certificate's accounts an entry moves: the ПФДО roubles
-- (kept on the certificate's row) or a social nominal in roubles or hours
-- (kept in certificate_accounts).
ALTER TABLE ledger_entries ADD COLUMN account TEXT NOT NULL DEFAULT 'personified'
    CHECK (account IN ('personified', 'social_rub', 'social_hour'));
ALTER TABLE contracts ADD COLUMN account TEXT NOT NULL DEFAULT 'personified'
    CHECK (account IN ('personified', 'social_rub', 'social_hour'));
-- Which certificate pays a certified program.
ALTER TABLE programs ADD COLUMN funding TEXT NOT NULL DEFAULT 'personified'
    CHECK (funding IN ('personified', 'social'));

-- The sums of a certificate's social account, kept as the ledger moves them:
-- credited = available + reserved + spent, none below zero.
CREATE TABLE certificate_accounts (
    certificate_id BIGINT NOT NULL REFERENCES certificates (id),
    account TEXT NOT NULL CHECK (account IN ('social_rub', 'social_hour')),
    credited BIGINT NOT NULL DEFAULT 0 CHECK (credited >= 0),
    available BIGINT NOT NULL DEFAULT 0 CHECK (available >= 0),
    reserved BIGINT NOT NULL DEFAULT 0 CHECK (reserved >= 0),
    spent BIGINT NOT NULL DEFAULT 0 CHECK (spent >= 0),
    PRIMARY KEY (certificate_id, account)
);
