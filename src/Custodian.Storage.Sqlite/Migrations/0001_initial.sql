-- Custodian schema 1 (SQLite).
-- EUIs and NetIDs are INTEGERs (the unsigned 64-bit value reinterpreted as signed); times are INTEGER
-- microseconds since the Unix epoch, UTC; sealed secrets are their 'label:base64' storage text.

CREATE TABLE tenants (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE api_keys (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants (id),
    name TEXT NOT NULL,
    rights INTEGER NOT NULL,
    secret_hash BLOB NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
);

CREATE TABLE networks (
    net_id INTEGER NOT NULL,
    ns_id TEXT,
    name TEXT,
    kek_label TEXT,
    kek_key TEXT,
    token_hash BLOB NOT NULL UNIQUE,
    certificate_thumbprint BLOB UNIQUE,
    created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX networks_net_ns ON networks (net_id, coalesce(ns_id, ''));

CREATE TABLE application_servers (
    as_id TEXT PRIMARY KEY,
    kek_label TEXT,
    kek_key TEXT,
    token_hash BLOB NOT NULL UNIQUE,
    certificate_thumbprint BLOB UNIQUE,
    created_at INTEGER NOT NULL
);

CREATE TABLE devices (
    dev_eui INTEGER PRIMARY KEY,
    join_eui INTEGER NOT NULL,
    mac_version TEXT NOT NULL,
    maker_tenant_id TEXT NOT NULL,
    root_keys TEXT NOT NULL,
    claim_code TEXT NOT NULL,
    claim_valid_from INTEGER,
    claim_valid_until INTEGER,
    vendor_id INTEGER,
    vendor_profile_id INTEGER,
    serial_number TEXT,
    owner_tenant_id TEXT,
    home_net_id INTEGER,
    home_ns_id TEXT,
    as_id TEXT,
    claimed_at INTEGER,
    ownership_epoch INTEGER NOT NULL,
    last_dev_nonce INTEGER,
    next_join_nonce INTEGER NOT NULL,
    last_join_at INTEGER,
    created_at INTEGER NOT NULL,
    version INTEGER NOT NULL
);

-- Devices by owner (the claimed count for the metrics, and an owner's devices).
CREATE INDEX devices_owner ON devices (owner_tenant_id);

CREATE TABLE used_dev_nonces (
    dev_eui INTEGER NOT NULL REFERENCES devices (dev_eui),
    dev_nonce INTEGER NOT NULL,
    PRIMARY KEY (dev_eui, dev_nonce)
) WITHOUT ROWID;

-- Keyed by SessionKeyID first: Custodian's ids start with a time-ordered prefix, so a join's session is
-- appended at the end of the tree instead of dirtying a random page per device.
CREATE TABLE sessions (
    session_key_id BLOB NOT NULL,
    dev_eui INTEGER NOT NULL REFERENCES devices (dev_eui),
    ownership_epoch INTEGER NOT NULL,
    net_id INTEGER NOT NULL,
    as_id TEXT,
    app_s_key TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    PRIMARY KEY (session_key_id, dev_eui)
) WITHOUT ROWID;

CREATE TABLE events (
    id INTEGER PRIMARY KEY, -- events are never deleted, so ids only rise without AUTOINCREMENT's extra write
    time INTEGER NOT NULL,
    tenant_id TEXT NOT NULL,
    type TEXT NOT NULL,
    dev_eui INTEGER,
    code TEXT,
    detail TEXT,
    actor TEXT
);
CREATE INDEX events_tenant ON events (tenant_id, id);
