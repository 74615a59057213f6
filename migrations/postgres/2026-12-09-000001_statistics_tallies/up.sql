-- The certificates' rouble charges and refunds by month, the child's
-- municipality and the contract's organization, kept by the transaction of
-- each ledger entry (ledger::tally): the statistics read these rows instead
-- of the whole ledger.
CREATE TABLE ledger_months (
    municipality_id BIGINT NOT NULL REFERENCES municipalities (id),
    organization_id BIGINT NOT NULL REFERENCES organizations (id),
    month DATE NOT NULL,
    charged BIGINT NOT NULL DEFAULT 0,
    refunded BIGINT NOT NULL DEFAULT 0,
    -- Charges made: one per contract and month.
    charges BIGINT NOT NULL DEFAULT 0,
    -- Certificates whose first charge of the month came through this
    -- organization: summed over organizations, the children charged that month.
    children BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (municipality_id, organization_id, month)
);
CREATE INDEX ledger_months_month ON ledger_months (month);
-- The statistics' applications by status made within a range, and the
-- decisions made within it, read from the indexes alone.
DROP INDEX applications_status;
CREATE INDEX applications_status ON applications (status, created_at, program_id);
CREATE INDEX applications_created ON applications (created_at, status, program_id);
CREATE INDEX applications_decisions ON applications (decided_at, organization_id, created_at, program_id);
-- The registry's children by age, municipality and sex with their
-- certificate, read from the indexes alone.
DROP INDEX children_birth;
CREATE INDEX children_birth ON children (municipality_id, birth_date, sex);
CREATE INDEX certificates_child_status ON certificates (child_id, created_at, status);
-- A certificate's charges of a month: whether a charge is its first of the month.
CREATE INDEX ledger_entries_certificate_month ON ledger_entries (certificate_id, month, kind);

-- The sums by kind of the entries on the certificates a funding period
-- credited, made within the period's dates: how its limit divides.
CREATE TABLE period_movements (
    period_id BIGINT NOT NULL REFERENCES funding_periods (id),
    kind TEXT NOT NULL,
    amount BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (period_id, kind)
);

INSERT INTO ledger_months (municipality_id, organization_id, month, charged, refunded, charges, children)
SELECT municipality_id, organization_id, month, SUM(charged), SUM(refunded), SUM(charges), SUM(children)
FROM (
    SELECT ch.municipality_id, k.organization_id, l.month,
           CASE WHEN l.kind = 'charge' THEN l.amount ELSE 0 END AS charged,
           CASE WHEN l.kind = 'refund' THEN l.amount ELSE 0 END AS refunded,
           CASE WHEN l.kind = 'charge' THEN 1 ELSE 0 END AS charges,
           0 AS children
    FROM ledger_entries l
    JOIN contracts k ON k.id = l.contract_id
    JOIN certificates c ON c.id = l.certificate_id
    JOIN children ch ON ch.id = c.child_id
    WHERE l.kind IN ('charge', 'refund') AND l.account IN ('personified', 'social_rub') AND l.month IS NOT NULL
    UNION ALL
    -- Each certificate's first charge of a month.
    SELECT ch.municipality_id, k.organization_id, l.month, 0, 0, 0, 1
    FROM (SELECT MIN(id) AS id FROM ledger_entries
          WHERE kind = 'charge' AND account IN ('personified', 'social_rub') AND month IS NOT NULL
          GROUP BY certificate_id, month) f
    JOIN ledger_entries l ON l.id = f.id
    JOIN contracts k ON k.id = l.contract_id
    JOIN certificates c ON c.id = l.certificate_id
    JOIN children ch ON ch.id = c.child_id
) t
GROUP BY municipality_id, organization_id, month;

INSERT INTO period_movements (period_id, kind, amount)
SELECT fp.id, l.kind, SUM(l.amount)
FROM funding_periods fp
JOIN ledger_entries cr ON cr.period_id = fp.id AND cr.kind = 'credit'
JOIN ledger_entries l ON l.certificate_id = cr.certificate_id AND l.account = cr.account
WHERE CAST(l.created_at + INTERVAL '3 hours' AS DATE) BETWEEN fp.starts_on AND fp.ends_on
GROUP BY fp.id, l.kind;
