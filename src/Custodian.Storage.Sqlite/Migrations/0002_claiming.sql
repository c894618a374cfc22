-- Custodian schema 2 (SQLite): claiming.

-- The claim lock-out (wrong codes since the last claim, and until when claims are refused) and TTJS's claim lock
-- (1: only the owner may release the claim; kept 1 while the device is unclaimed).
ALTER TABLE devices ADD COLUMN failed_claims INTEGER NOT NULL DEFAULT 0;
ALTER TABLE devices ADD COLUMN claim_locked_until INTEGER;
ALTER TABLE devices ADD COLUMN owner_locked INTEGER NOT NULL DEFAULT 1;

-- An owner's devices by DevEUI use devices_owner (owner_tenant_id), whose entries end in the rowid: dev_eui.

-- An API key may also be presented as a client certificate (SQLite cannot add a UNIQUE column: a unique index).
ALTER TABLE api_keys ADD COLUMN certificate_thumbprint BLOB;
CREATE UNIQUE INDEX api_keys_certificate ON api_keys (certificate_thumbprint) WHERE certificate_thumbprint IS NOT NULL;

-- Claims forwarded to another Join Server (claim routing).
CREATE TABLE routed_claims (
    dev_eui INTEGER PRIMARY KEY,
    join_eui INTEGER NOT NULL,
    tenant_id TEXT NOT NULL,
    join_server TEXT NOT NULL,
    home_net_id INTEGER NOT NULL,
    home_ns_id TEXT,
    as_id TEXT,
    locked INTEGER NOT NULL,
    claimed_at INTEGER NOT NULL
);
CREATE INDEX routed_claims_tenant ON routed_claims (tenant_id, dev_eui);
