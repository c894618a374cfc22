-- Custodian schema 2 (PostgreSQL): claiming.

-- The claim lock-out (wrong codes since the last claim, and until when claims are refused) and TTJS's claim lock
-- (true: only the owner may release the claim; kept true while the device is unclaimed). Constant defaults:
-- no table rewrite.
ALTER TABLE devices ADD COLUMN failed_claims integer NOT NULL DEFAULT 0;
ALTER TABLE devices ADD COLUMN claim_locked_until timestamptz;
ALTER TABLE devices ADD COLUMN owner_locked boolean NOT NULL DEFAULT true;

-- An owner's devices by DevEUI: one index range per call.
CREATE INDEX devices_owner_dev_eui ON devices (owner_tenant_id, dev_eui);
DROP INDEX devices_owner;

-- An API key may also be presented as a client certificate.
ALTER TABLE api_keys ADD COLUMN certificate_thumbprint bytea;
CREATE UNIQUE INDEX api_keys_certificate ON api_keys (certificate_thumbprint) WHERE certificate_thumbprint IS NOT NULL;

-- Claims forwarded to another Join Server (claim routing).
CREATE TABLE routed_claims (
    dev_eui bigint PRIMARY KEY,
    join_eui bigint NOT NULL,
    tenant_id text NOT NULL,
    join_server text NOT NULL,
    home_net_id integer NOT NULL,
    home_ns_id text,
    as_id text,
    locked boolean NOT NULL,
    claimed_at timestamptz NOT NULL
);
CREATE INDEX routed_claims_tenant ON routed_claims (tenant_id, dev_eui);
