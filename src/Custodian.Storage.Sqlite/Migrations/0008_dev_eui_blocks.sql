-- Custodian schema 5 (SQLite): the DevEUI blocks each maker tenant may provision in (EUI/length).

-- first_dev_eui is the block's lowest DevEUI, its 64 bits stored as a signed integer like devices.dev_eui.
CREATE TABLE dev_eui_blocks (
    tenant_id TEXT NOT NULL REFERENCES tenants (id),
    first_dev_eui INTEGER NOT NULL,
    length INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, first_dev_eui)
);

-- Upgrade: when every stored device comes from one maker, that maker keeps provisioning as before, with every
-- DevEUI (0000000000000000/0). With several makers none gets a block: the operator assigns them (README, upgrade).
INSERT INTO dev_eui_blocks (tenant_id, first_dev_eui, length)
SELECT min(maker_tenant_id), 0, 0 FROM devices
HAVING count(DISTINCT maker_tenant_id) = 1 AND min(maker_tenant_id) IN (SELECT id FROM tenants);
