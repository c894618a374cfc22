-- Custodian schema 5 (SQLite): claim throttles every instance and restart shares (lock-outs per DevEUI and claimant,
-- wrong-code budgets), and per-key limit overrides.

-- key: lock:<DevEUI>:<tenant>, budget:<key id>, routed:<Join Server>:<tenant>, alert:upstream:<Join Server>.
-- count: wrong codes (lock-outs) or the balance (budgets). Times in microseconds since the Unix epoch.
CREATE TABLE claim_throttles (
    key TEXT PRIMARY KEY,
    count REAL NOT NULL,
    at INTEGER NOT NULL,
    locked_until INTEGER,
    expires_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE INDEX claim_throttles_expires ON claim_throttles (expires_at);

-- A null limit is the server's default.
CREATE TABLE api_key_limits (
    key_id TEXT PRIMARY KEY REFERENCES api_keys (id) ON DELETE CASCADE,
    requests_per_minute INTEGER,
    wrong_codes_per_hour INTEGER
);
