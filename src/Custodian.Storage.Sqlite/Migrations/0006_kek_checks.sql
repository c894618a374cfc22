-- Custodian schema 5 (SQLite): a check value per KEK label.

-- check_value is a constant sealed under the label's KEK: a start whose KEK under that label differs cannot open it
-- and refuses to run, and a label listed here but missing from the key file stops the start too (see KekChecks).
CREATE TABLE kek_checks (
    label TEXT PRIMARY KEY,
    check_value TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
