-- Custodian schema 4 (SQLite): a maker's devices by DevEUI (GET /api/v1/devices).

-- Like devices_owner, its entries end in the rowid, dev_eui: one index range per call, already in order.
CREATE INDEX devices_maker ON devices (maker_tenant_id);
