-- Custodian schema 4 (PostgreSQL): a maker's devices by DevEUI (GET /api/v1/devices).

-- One index range per call, already in order, as devices_owner_dev_eui for an owner's devices.
CREATE INDEX devices_maker_dev_eui ON devices (maker_tenant_id, dev_eui);
