-- Custodian schema 1 (PostgreSQL).
-- EUIs are bigint (the unsigned 64-bit value reinterpreted as signed), NetIDs integer, times timestamptz
-- (microseconds), sealed secrets their 'label:base64' storage text.

CREATE TABLE tenants (
    id text PRIMARY KEY,
    name text NOT NULL,
    created_at timestamptz NOT NULL
);

CREATE TABLE api_keys (
    id text PRIMARY KEY,
    tenant_id text NOT NULL REFERENCES tenants (id),
    name text NOT NULL,
    rights integer NOT NULL,
    secret_hash bytea NOT NULL UNIQUE,
    created_at timestamptz NOT NULL
);

CREATE TABLE networks (
    net_id integer NOT NULL,
    ns_id text,
    name text,
    kek_label text,
    kek_key text,
    token_hash bytea NOT NULL UNIQUE,
    certificate_thumbprint bytea UNIQUE,
    created_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX networks_net_ns ON networks (net_id, coalesce(ns_id, ''));

CREATE TABLE application_servers (
    as_id text PRIMARY KEY,
    kek_label text,
    kek_key text,
    token_hash bytea NOT NULL UNIQUE,
    certificate_thumbprint bytea UNIQUE,
    created_at timestamptz NOT NULL
);

CREATE TABLE devices (
    dev_eui bigint PRIMARY KEY,
    join_eui bigint NOT NULL,
    mac_version text NOT NULL,
    maker_tenant_id text NOT NULL,
    root_keys text NOT NULL,
    claim_code text NOT NULL,
    claim_valid_from timestamptz,
    claim_valid_until timestamptz,
    vendor_id integer,
    vendor_profile_id integer,
    serial_number text,
    owner_tenant_id text,
    home_net_id integer,
    home_ns_id text,
    as_id text,
    claimed_at timestamptz,
    ownership_epoch bigint NOT NULL,
    last_dev_nonce integer,
    next_join_nonce bigint NOT NULL,
    last_join_at timestamptz,
    created_at timestamptz NOT NULL,
    version bigint NOT NULL
);

-- Devices by owner (the claimed count for the metrics, and an owner's devices).
CREATE INDEX devices_owner ON devices (owner_tenant_id);

CREATE TABLE used_dev_nonces (
    dev_eui bigint NOT NULL REFERENCES devices (dev_eui),
    dev_nonce integer NOT NULL,
    PRIMARY KEY (dev_eui, dev_nonce)
);

CREATE TABLE sessions (
    dev_eui bigint NOT NULL REFERENCES devices (dev_eui),
    session_key_id bytea NOT NULL,
    ownership_epoch bigint NOT NULL,
    net_id integer NOT NULL,
    as_id text,
    app_s_key text NOT NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    PRIMARY KEY (dev_eui, session_key_id)
);

CREATE TABLE events (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    time timestamptz NOT NULL,
    tenant_id text NOT NULL,
    type text NOT NULL,
    dev_eui bigint,
    code text,
    detail text,
    actor text
);
CREATE INDEX events_tenant ON events (tenant_id, id);
CREATE INDEX events_tenant_device ON events (tenant_id, dev_eui, id);
