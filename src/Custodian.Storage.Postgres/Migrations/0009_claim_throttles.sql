-- Custodian schema 5 (PostgreSQL): claim throttles every instance and restart shares (lock-outs per DevEUI and
-- claimant, wrong-code budgets), and per-key limit overrides.

-- key: lock:<DevEUI>:<tenant>, budget:<key id>, routed:<Join Server>:<tenant>, alert:upstream:<Join Server>.
-- count: wrong codes (lock-outs) or the balance (budgets).
CREATE TABLE claim_throttles (
    key text PRIMARY KEY,
    count double precision NOT NULL,
    at timestamptz NOT NULL,
    locked_until timestamptz,
    expires_at timestamptz NOT NULL
);

CREATE INDEX claim_throttles_expires ON claim_throttles (expires_at);

-- A null limit is the server's default.
CREATE TABLE api_key_limits (
    key_id text PRIMARY KEY REFERENCES api_keys (id) ON DELETE CASCADE,
    requests_per_minute integer,
    wrong_codes_per_hour integer
);
