namespace Custodian.Storage.Postgres;

/// <summary>The statements of the store; parameters are positional ($1, $2, …).</summary>
internal static class PostgresSql
{
    public const string InsertTenant =
        $"INSERT INTO tenants ({PostgresRows.TenantColumns}) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING";

    public const string SelectTenant = $"SELECT {PostgresRows.TenantColumns} FROM tenants WHERE id = $1";

    // Text is compared and sorted COLLATE "C" (byte order) in the lists: the database's collation may ignore '-' or
    // '_', and every engine must page in the same, ordinal order. The tables listed so are small.

    /// <summary>Tenants with ids after $1 in byte order.</summary>
    public const string SelectTenants =
        $"SELECT {PostgresRows.TenantColumns} FROM tenants WHERE id COLLATE \"C\" > $1 ORDER BY id COLLATE \"C\" LIMIT $2";

    public const string InsertApiKey = $"INSERT INTO api_keys ({PostgresRows.ApiKeyColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7)";

    public const string SelectApiKeyByHash = $"SELECT {PostgresRows.ApiKeyColumns} FROM api_keys WHERE secret_hash = $1";

    public const string SelectApiKeyByCertificate = $"SELECT {PostgresRows.ApiKeyColumns} FROM api_keys WHERE certificate_thumbprint = $1";

    public const string HasAdminKey = "SELECT EXISTS (SELECT 1 FROM api_keys WHERE (rights & 1) = 1)";

    public const string SelectTenantApiKeys =
        $"SELECT {PostgresRows.ApiKeyColumns} FROM api_keys WHERE tenant_id = $1 ORDER BY created_at, id COLLATE \"C\"";

    /// <summary>
    /// The admin keys and key $1, locked in id order: two revocations at once take turns, so the second sees what
    /// the first left (a row it deleted is skipped) and cannot also remove the last admin key.
    /// </summary>
    public const string LockApiKeysForDeletion =
        "SELECT id, tenant_id, rights FROM api_keys WHERE (rights & 1) = 1 OR id = $1 ORDER BY id FOR UPDATE";

    public const string InsertConfiguredAdminKey =
        "INSERT INTO configured_admin_keys (key_hash, configured_at) VALUES ($1, $2) ON CONFLICT DO NOTHING";

    public const string DeleteApiKey = "DELETE FROM api_keys WHERE id = $1";

    public const string InsertNetwork =
        $"INSERT INTO networks ({PostgresRows.NetworkColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING";

    public const string SelectNetwork =
        $"SELECT {PostgresRows.NetworkColumns} FROM networks WHERE net_id = $1 AND ns_id IS NOT DISTINCT FROM $2";

    public const string SelectNetworkByToken = $"SELECT {PostgresRows.NetworkColumns} FROM networks WHERE token_hash = $1";

    public const string SelectNetworkByCertificate = $"SELECT {PostgresRows.NetworkColumns} FROM networks WHERE certificate_thumbprint = $1";

    /// <summary>By NetID, then NSID with none (NULL) first.</summary>
    public const string SelectNetworks =
        $"SELECT {PostgresRows.NetworkColumns} FROM networks ORDER BY net_id, ns_id COLLATE \"C\" NULLS FIRST";

    public const string UpdateNetworkCredentials =
        "UPDATE networks SET token_hash = $3, certificate_thumbprint = $4 WHERE net_id = $1 AND ns_id IS NOT DISTINCT FROM $2";

    public const string DeleteNetwork = "DELETE FROM networks WHERE net_id = $1 AND ns_id IS NOT DISTINCT FROM $2";

    public const string UpdateApplicationServerCredentials =
        "UPDATE application_servers SET token_hash = $2, certificate_thumbprint = $3 WHERE as_id = $1";

    public const string DeleteApplicationServer = "DELETE FROM application_servers WHERE as_id = $1";

    public const string InsertApplicationServer =
        $"INSERT INTO application_servers ({PostgresRows.ApplicationServerColumns}) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING";

    public const string SelectApplicationServer = $"SELECT {PostgresRows.ApplicationServerColumns} FROM application_servers WHERE as_id = $1";

    public const string SelectApplicationServerByToken =
        $"SELECT {PostgresRows.ApplicationServerColumns} FROM application_servers WHERE token_hash = $1";

    public const string SelectApplicationServerByCertificate =
        $"SELECT {PostgresRows.ApplicationServerColumns} FROM application_servers WHERE certificate_thumbprint = $1";

    public const string SelectApplicationServers =
        $"SELECT {PostgresRows.ApplicationServerColumns} FROM application_servers ORDER BY as_id COLLATE \"C\"";

    /// <summary>Many devices in one statement: one array per column, unnested; taken DevEUIs are skipped.</summary>
    public const string InsertDevices =
        $"""
        INSERT INTO devices ({PostgresRows.DeviceColumns})
        SELECT *, 1 FROM unnest($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25)
        ON CONFLICT DO NOTHING
        RETURNING dev_eui
        """;

    public const string SelectDevice = $"SELECT {PostgresRows.DeviceColumns} FROM devices WHERE dev_eui = $1";

    public const string SelectDeviceForUpdate = SelectDevice + " FOR UPDATE";

    public const string UpdateDevice =
        """
        UPDATE devices SET join_eui = $2, mac_version = $3, maker_tenant_id = $4, root_keys = $5, claim_code = $6,
            claim_valid_from = $7, claim_valid_until = $8, vendor_id = $9, vendor_profile_id = $10, serial_number = $11,
            owner_tenant_id = $12, home_net_id = $13, home_ns_id = $14, as_id = $15, claimed_at = $16,
            ownership_epoch = $17, last_dev_nonce = $18, next_join_nonce = $19, last_join_at = $20, created_at = $21,
            failed_claims = $22, claim_locked_until = $23, owner_locked = $24, claim_code_issuer = $25, version = $26
        WHERE dev_eui = $1
        """;

    /// <summary>The devices of a batch of changes, locked in DevEUI order (every caller locks in one order: no deadlock).</summary>
    public const string SelectDevicesForUpdate =
        $"SELECT {PostgresRows.DeviceColumns} FROM devices WHERE dev_eui = ANY ($1) ORDER BY dev_eui FOR UPDATE";

    /// <summary>Many whole devices in one statement: one array per column ($1…$25, then the versions $26), unnested.</summary>
    public const string UpdateDevices =
        """
        UPDATE devices AS d SET join_eui = u.join_eui, mac_version = u.mac_version, maker_tenant_id = u.maker_tenant_id,
            root_keys = u.root_keys, claim_code = u.claim_code, claim_valid_from = u.claim_valid_from,
            claim_valid_until = u.claim_valid_until, vendor_id = u.vendor_id, vendor_profile_id = u.vendor_profile_id,
            serial_number = u.serial_number, owner_tenant_id = u.owner_tenant_id, home_net_id = u.home_net_id,
            home_ns_id = u.home_ns_id, as_id = u.as_id, claimed_at = u.claimed_at, ownership_epoch = u.ownership_epoch,
            last_dev_nonce = u.last_dev_nonce, next_join_nonce = u.next_join_nonce, last_join_at = u.last_join_at,
            created_at = u.created_at, failed_claims = u.failed_claims, claim_locked_until = u.claim_locked_until,
            owner_locked = u.owner_locked, claim_code_issuer = u.claim_code_issuer, version = u.version
        FROM unnest($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26)
            AS u (dev_eui, join_eui, mac_version, maker_tenant_id, root_keys, claim_code, claim_valid_from, claim_valid_until,
                vendor_id, vendor_profile_id, serial_number, owner_tenant_id, home_net_id, home_ns_id, as_id, claimed_at,
                ownership_epoch, last_dev_nonce, next_join_nonce, last_join_at, created_at, failed_claims, claim_locked_until,
                owner_locked, claim_code_issuer, version)
        WHERE d.dev_eui = u.dev_eui
        """;

    /// <summary>An owner's devices with DevEUIs (as stored, signed) in [$2, $3]: one range of devices_owner_dev_eui.</summary>
    public const string SelectOwnedDevices =
        $"SELECT {PostgresRows.DeviceColumns} FROM devices WHERE owner_tenant_id = $1 AND dev_eui BETWEEN $2 AND $3 ORDER BY dev_eui LIMIT $4";

    /// <summary>A maker's devices with DevEUIs (as stored, signed) in [$2, $3]: one range of devices_maker_dev_eui.</summary>
    public const string SelectMakerDevices =
        $"SELECT {PostgresRows.DeviceColumns} FROM devices WHERE maker_tenant_id = $1 AND dev_eui BETWEEN $2 AND $3 ORDER BY dev_eui LIMIT $4";

    public const string UpsertRoutedClaim =
        $"""
        INSERT INTO routed_claims ({PostgresRows.RoutedClaimColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
        ON CONFLICT (dev_eui) DO UPDATE SET join_eui = excluded.join_eui, tenant_id = excluded.tenant_id,
            join_server = excluded.join_server, home_net_id = excluded.home_net_id, home_ns_id = excluded.home_ns_id,
            as_id = excluded.as_id, locked = excluded.locked, claimed_at = excluded.claimed_at
        """;

    public const string SelectRoutedClaim = $"SELECT {PostgresRows.RoutedClaimColumns} FROM routed_claims WHERE dev_eui = $1";

    public const string DeleteRoutedClaim = "DELETE FROM routed_claims WHERE dev_eui = $1 AND tenant_id = $2";

    /// <summary>A tenant's routed claims with DevEUIs (as stored, signed) in [$2, $3]: one range of routed_claims_tenant.</summary>
    public const string SelectRoutedClaims =
        $"SELECT {PostgresRows.RoutedClaimColumns} FROM routed_claims WHERE tenant_id = $1 AND dev_eui BETWEEN $2 AND $3 ORDER BY dev_eui LIMIT $4";

    public const string SelectDevNonceUsed = "SELECT EXISTS (SELECT 1 FROM used_dev_nonces WHERE dev_eui = $1 AND dev_nonce = $2)";

    /// <summary>
    /// A join in one statement (one round trip, atomic): the version-checked device update, and the nonce,
    /// session and event inserts that read from it, so a stale version (no row updated) inserts nothing.
    /// A concurrent commit on the same row waits for the row lock, then finds the version moved: 0 rows.
    /// </summary>
    public const string CommitJoin =
        $"""
        WITH d AS (
            UPDATE devices SET last_dev_nonce = $1, next_join_nonce = $2, last_join_at = $3, version = version + 1
            WHERE dev_eui = $4 AND version = $5
            RETURNING dev_eui
        ), n AS (
            INSERT INTO used_dev_nonces (dev_eui, dev_nonce)
            SELECT dev_eui, $6 FROM d WHERE $7
            ON CONFLICT DO NOTHING
        ), s AS (
            INSERT INTO sessions ({PostgresRows.SessionColumns})
            SELECT dev_eui, $8, $9, $10, $11, $12, $13, $14 FROM d
        ), e AS (
            INSERT INTO events (time, tenant_id, type, dev_eui, code, detail, actor)
            SELECT $15, $16, $17, $18, $19, $20, $21 FROM d
        )
        SELECT count(*) FROM d
        """;

    public const string ResetDevNonces =
        $"""
        WITH d AS (
            UPDATE devices SET last_dev_nonce = NULL, version = version + 1 WHERE dev_eui = $1
            RETURNING {PostgresRows.DeviceColumns}
        ), x AS (
            DELETE FROM used_dev_nonces WHERE dev_eui = $1 AND EXISTS (SELECT 1 FROM d)
        )
        SELECT {PostgresRows.DeviceColumns} FROM d
        """;

    public const string SelectSession = $"SELECT {PostgresRows.SessionColumns} FROM sessions WHERE dev_eui = $1 AND session_key_id = $2";

    public const string CountDevices =
        "SELECT count(*) FILTER (WHERE owner_tenant_id IS NULL), count(*) FILTER (WHERE owner_tenant_id IS NOT NULL) FROM devices";

    public const string InsertEvent =
        "INSERT INTO events (time, tenant_id, type, dev_eui, code, detail, actor) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";

    /// <summary>Many events from one array per column; ids rise in the arrays' order.</summary>
    public const string InsertEvents =
        """
        INSERT INTO events (time, tenant_id, type, dev_eui, code, detail, actor)
        SELECT time, tenant_id, type, dev_eui, code, detail, actor
        FROM unnest($1, $2, $3, $4, $5, $6, $7) WITH ORDINALITY AS e (time, tenant_id, type, dev_eui, code, detail, actor, n)
        ORDER BY n
        """;

    // Two shapes so each uses its index: (tenant_id, id) or (tenant_id, dev_eui, id).
    public const string SelectEvents =
        $"SELECT {PostgresRows.EventColumns} FROM events WHERE tenant_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3";

    public const string SelectDeviceEvents =
        $"SELECT {PostgresRows.EventColumns} FROM events WHERE tenant_id = $1 AND id < $2 AND dev_eui = $4 ORDER BY id DESC LIMIT $3";
}
