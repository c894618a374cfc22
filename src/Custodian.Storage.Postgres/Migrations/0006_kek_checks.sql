-- Custodian schema 5 (PostgreSQL): a check value per KEK label, and expired sessions found by their expiry.

-- check_value is a constant sealed under the label's KEK: an instance whose KEK under that label differs cannot
-- open it and refuses to start, and a label listed here but missing from its key file stops the start too.
CREATE TABLE kek_checks (
    label text PRIMARY KEY,
    check_value text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Retention deletes sessions whose expiry passed (the primary key starts with the DevEUI, not the time).
CREATE INDEX sessions_expires ON sessions (expires_at);
