namespace Custodian.Storage.Sqlite;

/// <summary>The statements of the store, as constants so each is prepared once per connection.</summary>
internal static class SqliteSql
{
    public const string InsertTenant =
        $"INSERT INTO tenants ({SqliteRows.TenantColumns}) VALUES ($id, $name, $created_at) ON CONFLICT DO NOTHING";

    public const string SelectTenant = $"SELECT {SqliteRows.TenantColumns} FROM tenants WHERE id = $id";

    /// <summary>Tenants with ids after $after (BINARY collation: ordinal), the primary key's order.</summary>
    public const string SelectTenants = $"SELECT {SqliteRows.TenantColumns} FROM tenants WHERE id > $after ORDER BY id LIMIT $limit";

    public const string InsertApiKey =
        $"INSERT INTO api_keys ({SqliteRows.ApiKeyColumns}) VALUES ($id, $tenant_id, $name, $rights, $secret_hash, $created_at, $certificate_thumbprint)";

    public const string SelectApiKeyByHash = $"SELECT {SqliteRows.ApiKeyColumns} FROM api_keys WHERE secret_hash = $hash";

    public const string SelectApiKeyByCertificate = $"SELECT {SqliteRows.ApiKeyColumns} FROM api_keys WHERE certificate_thumbprint = $thumbprint";

    public const string HasAdminKey = "SELECT EXISTS (SELECT 1 FROM api_keys WHERE (rights & 1) = 1)";

    public const string SelectTenantApiKeys = $"SELECT {SqliteRows.ApiKeyColumns} FROM api_keys WHERE tenant_id = $tenant_id ORDER BY created_at, id";

    /// <summary>The key's rights (no row: the tenant has no such key), and whether another key holds the admin right.</summary>
    public const string SelectApiKeyForDeletion =
        "SELECT rights, EXISTS (SELECT 1 FROM api_keys WHERE (rights & 1) = 1 AND id <> $id) FROM api_keys WHERE id = $id AND tenant_id = $tenant_id";

    public const string InsertConfiguredAdminKey =
        "INSERT INTO configured_admin_keys (key_hash, configured_at) VALUES ($key_hash, $at) ON CONFLICT DO NOTHING";

    public const string DeleteApiKey = "DELETE FROM api_keys WHERE id = $id";

    public const string InsertNetwork =
        $"INSERT INTO networks ({SqliteRows.NetworkColumns}) VALUES ($net_id, $ns_id, $name, $kek_label, $kek_key, $token_hash, $certificate_thumbprint, $created_at, $app_s_key_mode) ON CONFLICT DO NOTHING";

    public const string SelectNetwork = $"SELECT {SqliteRows.NetworkColumns} FROM networks WHERE net_id = $net_id AND ns_id IS $ns_id";

    public const string SelectNetworkByToken = $"SELECT {SqliteRows.NetworkColumns} FROM networks WHERE token_hash = $hash";

    public const string SelectNetworkByCertificate = $"SELECT {SqliteRows.NetworkColumns} FROM networks WHERE certificate_thumbprint = $hash";

    /// <summary>By NetID, then NSID with none (NULL) first.</summary>
    public const string SelectNetworks = $"SELECT {SqliteRows.NetworkColumns} FROM networks ORDER BY net_id, ns_id";

    public const string UpdateNetworkCredentials =
        "UPDATE networks SET token_hash = $token_hash, certificate_thumbprint = $certificate_thumbprint WHERE net_id = $net_id AND ns_id IS $ns_id";

    public const string DeleteNetwork = "DELETE FROM networks WHERE net_id = $net_id AND ns_id IS $ns_id";

    public const string UpdateApplicationServerCredentials =
        "UPDATE application_servers SET token_hash = $token_hash, certificate_thumbprint = $certificate_thumbprint WHERE as_id = $as_id";

    public const string DeleteApplicationServer = "DELETE FROM application_servers WHERE as_id = $as_id";

    public const string InsertApplicationServer =
        $"INSERT INTO application_servers ({SqliteRows.ApplicationServerColumns}) VALUES ($as_id, $kek_label, $kek_key, $token_hash, $certificate_thumbprint, $created_at) ON CONFLICT DO NOTHING";

    public const string SelectApplicationServer = $"SELECT {SqliteRows.ApplicationServerColumns} FROM application_servers WHERE as_id = $as_id";

    public const string SelectApplicationServerByToken = $"SELECT {SqliteRows.ApplicationServerColumns} FROM application_servers WHERE token_hash = $hash";

    public const string SelectApplicationServerByCertificate =
        $"SELECT {SqliteRows.ApplicationServerColumns} FROM application_servers WHERE certificate_thumbprint = $hash";

    public const string SelectApplicationServers = $"SELECT {SqliteRows.ApplicationServerColumns} FROM application_servers ORDER BY as_id";

    /// <summary>An owner's devices with DevEUIs (as stored, signed) in [$from, $to]: one range of devices_owner.</summary>
    public static readonly string SelectOwnedDevices =
        $"SELECT {SqliteRows.DeviceColumns} FROM devices WHERE owner_tenant_id = $owner AND dev_eui BETWEEN $from AND $to ORDER BY dev_eui LIMIT $limit";

    /// <summary>A maker's devices with DevEUIs (as stored, signed) in [$from, $to]: one range of devices_maker.</summary>
    public static readonly string SelectMakerDevices =
        $"SELECT {SqliteRows.DeviceColumns} FROM devices WHERE maker_tenant_id = $maker AND dev_eui BETWEEN $from AND $to ORDER BY dev_eui LIMIT $limit";

    public const string UpsertRoutedClaim =
        $"""
        INSERT INTO routed_claims ({SqliteRows.RoutedClaimColumns})
        VALUES ($dev_eui, $join_eui, $tenant_id, $join_server, $home_net_id, $home_ns_id, $as_id, $locked, $claimed_at)
        ON CONFLICT (dev_eui) DO UPDATE SET join_eui = excluded.join_eui, tenant_id = excluded.tenant_id,
            join_server = excluded.join_server, home_net_id = excluded.home_net_id, home_ns_id = excluded.home_ns_id,
            as_id = excluded.as_id, locked = excluded.locked, claimed_at = excluded.claimed_at
        """;

    public const string SelectRoutedClaim = $"SELECT {SqliteRows.RoutedClaimColumns} FROM routed_claims WHERE dev_eui = $dev_eui";

    public const string DeleteRoutedClaim = "DELETE FROM routed_claims WHERE dev_eui = $dev_eui AND tenant_id = $tenant_id";

    /// <summary>A tenant's routed claims with DevEUIs (as stored, signed) in [$from, $to]: one range of routed_claims_tenant.</summary>
    public const string SelectRoutedClaims =
        $"SELECT {SqliteRows.RoutedClaimColumns} FROM routed_claims WHERE tenant_id = $tenant_id AND dev_eui BETWEEN $from AND $to ORDER BY dev_eui LIMIT $limit";

    public const string SelectDevNonceUsed = "SELECT EXISTS (SELECT 1 FROM used_dev_nonces WHERE dev_eui = $dev_eui AND dev_nonce = $dev_nonce)";

    // The join hot path, bound by index through RawStatement.

    /// <summary>The join's device write: only the join counters change, and only at the version the join read.</summary>
    public const string CommitJoinDevice =
        "UPDATE devices SET last_dev_nonce = ?1, next_join_nonce = ?2, last_join_at = ?3, version = version + 1 WHERE dev_eui = ?4 AND version = ?5";

    public const string InsertDevNonce = "INSERT INTO used_dev_nonces (dev_eui, dev_nonce) VALUES (?1, ?2) ON CONFLICT DO NOTHING";

    public const string InsertSession =
        $"INSERT INTO sessions ({SqliteRows.SessionColumns}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";

    public const string InsertJoinEvent =
        "INSERT INTO events (time, tenant_id, type, dev_eui, code, detail, actor) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";

    public const string SelectSession = $"SELECT {SqliteRows.SessionColumns} FROM sessions WHERE dev_eui = $dev_eui AND session_key_id = $session_key_id";

    public const string DeleteDevNonces = "DELETE FROM used_dev_nonces WHERE dev_eui = $dev_eui";

    public const string ResetLastDevNonce = "UPDATE devices SET last_dev_nonce = NULL, version = version + 1 WHERE dev_eui = $dev_eui";

    /// <summary>All devices and the claimed ones (owner set): both counted on the small owner index.</summary>
    public const string CountDevices = "SELECT count(*), count(owner_tenant_id) FROM devices INDEXED BY devices_owner";

    public const string InsertEvent =
        "INSERT INTO events (time, tenant_id, type, dev_eui, code, detail, actor) VALUES ($time, $tenant_id, $type, $dev_eui, $code, $detail, $actor)";

    public const string InsertEventReturningId = InsertEvent + " RETURNING id";

    // Two shapes so each uses its index: (tenant_id, id) or (tenant_id, dev_eui, id).
    public const string SelectEvents =
        $"SELECT {SqliteRows.EventColumns} FROM events WHERE tenant_id = $tenant_id AND id < $before ORDER BY id DESC LIMIT $limit";

    public const string SelectDeviceEvents =
        $"SELECT {SqliteRows.EventColumns} FROM events WHERE tenant_id = $tenant_id AND dev_eui = $dev_eui AND id < $before ORDER BY id DESC LIMIT $limit";
}
