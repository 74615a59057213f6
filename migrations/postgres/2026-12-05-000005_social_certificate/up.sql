-- The social certificate (189-ФЗ, 568-ФЗ): a funding period is of kind
-- `personified` (ПФДО, roubles) or `social`, whose nominal is in roubles or
-- in hours; a municipality has one period of each kind a year.
ALTER TABLE funding_periods
    ADD COLUMN kind TEXT NOT NULL DEFAULT 'personified' CHECK (kind IN ('personified', 'social')),
    ADD COLUMN unit TEXT NOT NULL DEFAULT 'rub' CHECK (unit IN ('rub', 'hour')),
    ADD CHECK (kind = 'social' OR unit = 'rub');
ALTER TABLE funding_periods DROP CONSTRAINT funding_periods_municipality_id_year_key;
ALTER TABLE funding_periods ADD CONSTRAINT funding_periods_municipality_year_kind UNIQUE (municipality_id, year, kind);

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
