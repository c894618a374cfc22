-- Custodian schema 5 (SQLite): every admin key Custodian:AdminKey has named (its SHA-256), so that a revoked
-- configured key is not stored again at the next start, and a new one retires the earlier ones.
CREATE TABLE configured_admin_keys (
    key_hash BLOB PRIMARY KEY,
    configured_at INTEGER NOT NULL
);
