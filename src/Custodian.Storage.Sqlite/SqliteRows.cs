using Custodian.Core.Custody;
using Custodian.Core.Devices;
using Custodian.Core.Events;
using Custodian.Core.Peers;
using Custodian.Core.Storage;
using Custodian.Core.Tenancy;
using Microsoft.Data.Sqlite;
using static Custodian.Storage.Sqlite.SqliteValues;

namespace Custodian.Storage.Sqlite;

/// <summary>The columns of each table and the mapping between rows and the domain records.</summary>
internal static class SqliteRows
{
    private static readonly string[] DeviceColumnNames =
    [
        "dev_eui", "join_eui", "mac_version", "maker_tenant_id", "root_keys", "claim_code", "claim_valid_from",
        "claim_valid_until", "vendor_id", "vendor_profile_id", "serial_number", "owner_tenant_id", "home_net_id",
        "home_ns_id", "as_id", "claimed_at", "ownership_epoch", "last_dev_nonce", "next_join_nonce", "last_join_at",
        "created_at", "failed_claims", "claim_locked_until", "owner_locked", "claim_code_issuer", "version",
    ];

    private static readonly (string Text, MacVersion Version)[] MacVersions =
        [.. MacVersion.All.Select(v => (v.ToString(), v))];

    public static readonly string DeviceColumns = string.Join(", ", DeviceColumnNames);

    public static readonly string InsertDevice =
        $"INSERT INTO devices ({DeviceColumns}) VALUES ({string.Join(", ", DeviceColumnNames.Select(c => "$" + c))}) ON CONFLICT DO NOTHING";

    public static readonly string UpdateDevice =
        $"UPDATE devices SET {string.Join(", ", DeviceColumnNames.Skip(1).Select(c => $"{c} = ${c}"))} WHERE dev_eui = $dev_eui";

    public static readonly string SelectDevice = $"SELECT {DeviceColumns} FROM devices WHERE dev_eui = $dev_eui";

    /// <summary>The device by DevEUI (?1), for <see cref="RawStatement"/>: columns as <see cref="DeviceColumns"/>.</summary>
    public static readonly string SelectDeviceRaw = $"SELECT {DeviceColumns} FROM devices WHERE dev_eui = ?1";

    /// <summary>The whole device (?1 the DevEUI, then ?2… each column in <see cref="DeviceColumns"/> order), for <see cref="RawStatement"/>.</summary>
    public static readonly string UpdateDeviceRaw =
        $"UPDATE devices SET {string.Join(", ", DeviceColumnNames.Skip(1).Select((c, i) => $"{c} = ?{i + 2}"))} WHERE dev_eui = ?1";

    public static void BindDevice(SqliteCommand command, Device device, long version)
    {
        var owner = device.Owner;
        command.Set("$dev_eui", ToDb(device.DevEui))
            .Set("$join_eui", ToDb(device.JoinEui))
            .Set("$mac_version", device.MacVersion.ToString())
            .Set("$maker_tenant_id", device.MakerTenantId)
            .Set("$root_keys", device.RootKeys.ToStorageText())
            .Set("$claim_code", device.ClaimCode.ToStorageText())
            .Set("$claim_valid_from", ToDb(device.ClaimValidFrom))
            .Set("$claim_valid_until", ToDb(device.ClaimValidUntil))
            .Set("$vendor_id", device.VendorId)
            .Set("$vendor_profile_id", device.VendorProfileId)
            .Set("$serial_number", device.SerialNumber)
            .Set("$owner_tenant_id", owner?.TenantId)
            .Set("$home_net_id", owner is null ? null : ToDb(owner.HomeNetId))
            .Set("$home_ns_id", owner?.HomeNsId)
            .Set("$as_id", owner?.AsId)
            .Set("$claimed_at", owner is null ? null : ToDb(owner.ClaimedAt))
            .Set("$ownership_epoch", device.OwnershipEpoch)
            .Set("$last_dev_nonce", device.LastDevNonce?.Value)
            .Set("$next_join_nonce", (long)device.NextJoinNonce)
            .Set("$last_join_at", ToDb(device.LastJoinAt))
            .Set("$created_at", ToDb(device.CreatedAt))
            .Set("$failed_claims", (long)device.FailedClaims)
            .Set("$claim_locked_until", ToDb(device.ClaimLockedUntil))
            .Set("$owner_locked", (owner?.Locked ?? true) ? 1L : 0L)
            .Set("$claim_code_issuer", device.ClaimCodeIssuer)
            .Set("$version", version);
    }

    public static Device ReadDevice(SqliteDataReader r) => new()
    {
        DevEui = r.GetDevEui(0),
        JoinEui = r.GetJoinEui(1),
        MacVersion = ParseMacVersion(r.GetString(2)),
        MakerTenantId = r.GetString(3),
        RootKeys = r.GetSealed(4),
        ClaimCode = r.GetSealed(5),
        ClaimValidFrom = r.GetTimeOrNull(6),
        ClaimValidUntil = r.GetTimeOrNull(7),
        VendorId = r.IsDBNull(8) ? null : (ushort)r.GetInt64(8),
        VendorProfileId = r.IsDBNull(9) ? null : (ushort)r.GetInt64(9),
        SerialNumber = r.GetStringOrNull(10),
        Owner = r.IsDBNull(11)
            ? null
            : new Ownership(r.GetString(11), r.GetNetId(12), r.GetStringOrNull(13), r.GetStringOrNull(14), r.GetTime(15), r.GetInt64(23) != 0),
        OwnershipEpoch = r.GetInt64(16),
        LastDevNonce = r.IsDBNull(17) ? null : new DevNonce((ushort)r.GetInt64(17)),
        NextJoinNonce = (uint)r.GetInt64(18),
        LastJoinAt = r.GetTimeOrNull(19),
        CreatedAt = r.GetTime(20),
        FailedClaims = (int)r.GetInt64(21),
        ClaimLockedUntil = r.GetTimeOrNull(22),
        ClaimCodeIssuer = r.GetStringOrNull(24),
        Version = r.GetInt64(25),
    };

    /// <summary>Binds ?1… in <see cref="DeviceColumns"/> order (the version last).</summary>
    public static void BindDevice(RawStatement statement, Device device, long version)
    {
        var owner = device.Owner;
        statement.Bind(1, ToDb(device.DevEui))
            .Bind(2, ToDb(device.JoinEui))
            .Bind(3, device.MacVersion.ToString())
            .Bind(4, device.MakerTenantId)
            .Bind(5, device.RootKeys.ToStorageText())
            .Bind(6, device.ClaimCode.ToStorageText())
            .Bind(7, ToDbOrNull(device.ClaimValidFrom))
            .Bind(8, ToDbOrNull(device.ClaimValidUntil))
            .Bind(9, device.VendorId)
            .Bind(10, device.VendorProfileId)
            .Bind(11, device.SerialNumber)
            .Bind(12, owner?.TenantId)
            .Bind(13, owner is null ? null : ToDb(owner.HomeNetId))
            .Bind(14, owner?.HomeNsId)
            .Bind(15, owner?.AsId)
            .Bind(16, owner is null ? null : ToDb(owner.ClaimedAt))
            .Bind(17, device.OwnershipEpoch)
            .Bind(18, device.LastDevNonce?.Value)
            .Bind(19, device.NextJoinNonce)
            .Bind(20, ToDbOrNull(device.LastJoinAt))
            .Bind(21, ToDb(device.CreatedAt))
            .Bind(22, device.FailedClaims)
            .Bind(23, ToDbOrNull(device.ClaimLockedUntil))
            .Bind(24, (owner?.Locked ?? true) ? 1L : 0L)
            .Bind(25, device.ClaimCodeIssuer)
            .Bind(26, version);
    }

    /// <summary>The current row of a <see cref="SelectDeviceRaw"/> (the same mapping as the data reader's).</summary>
    public static Device ReadDevice(RawStatement r) => new()
    {
        DevEui = new DevEui(unchecked((ulong)r.GetInt64(0))),
        JoinEui = new JoinEui(unchecked((ulong)r.GetInt64(1))),
        MacVersion = ParseMacVersion(r.GetString(2)),
        MakerTenantId = r.GetString(3),
        RootKeys = SealedSecret.ParseStorageText(r.GetString(4)),
        ClaimCode = SealedSecret.ParseStorageText(r.GetString(5)),
        ClaimValidFrom = TimeOrNull(r.GetInt64OrNull(6)),
        ClaimValidUntil = TimeOrNull(r.GetInt64OrNull(7)),
        VendorId = (ushort?)r.GetInt64OrNull(8),
        VendorProfileId = (ushort?)r.GetInt64OrNull(9),
        SerialNumber = r.GetStringOrNull(10),
        Owner = r.IsNull(11)
            ? null
            : new Ownership(r.GetString(11), new NetId((uint)r.GetInt64(12)), r.GetStringOrNull(13), r.GetStringOrNull(14), Time(r.GetInt64(15)), r.GetInt64(23) != 0),
        OwnershipEpoch = r.GetInt64(16),
        LastDevNonce = r.IsNull(17) ? null : new DevNonce((ushort)r.GetInt64(17)),
        NextJoinNonce = (uint)r.GetInt64(18),
        LastJoinAt = TimeOrNull(r.GetInt64OrNull(19)),
        CreatedAt = Time(r.GetInt64(20)),
        FailedClaims = (int)r.GetInt64(21),
        ClaimLockedUntil = TimeOrNull(r.GetInt64OrNull(22)),
        ClaimCodeIssuer = r.GetStringOrNull(24),
        Version = r.GetInt64(25),
    };

    /// <summary>Binds ?1…?7 of <see cref="SqliteSql.InsertJoinEvent"/>.</summary>
    public static void BindEvent(RawStatement statement, AuditEvent auditEvent) =>
        statement.Bind(1, ToDb(auditEvent.Time))
            .Bind(2, auditEvent.TenantId)
            .Bind(3, auditEvent.Type)
            .Bind(4, auditEvent.DevEui is { } devEui ? ToDb(devEui) : null)
            .Bind(5, auditEvent.Code)
            .Bind(6, auditEvent.Detail)
            .Bind(7, auditEvent.Actor);

    private static long? ToDbOrNull(DateTimeOffset? time) => time is { } t ? ToDb(t) : null;

    private static DateTimeOffset? TimeOrNull(long? microseconds) => microseconds is { } m ? Time(m) : null;

    public const string TenantColumns = "id, name, created_at";

    public static Tenant ReadTenant(SqliteDataReader r) => new(r.GetString(0), r.GetString(1), r.GetTime(2));

    public const string ApiKeyColumns = "id, tenant_id, name, rights, secret_hash, created_at, certificate_thumbprint";

    public static ApiKeyRecord ReadApiKey(SqliteDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), (ApiRights)r.GetInt64(3), r.GetBytes(4), r.GetTime(5), Nullable(r.GetBytesOrNull(6)));

    public const string RoutedClaimColumns = "dev_eui, join_eui, tenant_id, join_server, home_net_id, home_ns_id, as_id, locked, claimed_at";

    public static RoutedClaim ReadRoutedClaim(SqliteDataReader r) =>
        new(r.GetDevEui(0), r.GetJoinEui(1), r.GetString(2), r.GetString(3), r.GetNetId(4), r.GetStringOrNull(5), r.GetStringOrNull(6), r.GetInt64(7) != 0, r.GetTime(8));

    public static void BindRoutedClaim(SqliteCommand command, RoutedClaim claim) =>
        command.Set("$dev_eui", ToDb(claim.DevEui))
            .Set("$join_eui", ToDb(claim.JoinEui))
            .Set("$tenant_id", claim.TenantId)
            .Set("$join_server", claim.JoinServer)
            .Set("$home_net_id", ToDb(claim.HomeNetId))
            .Set("$home_ns_id", claim.HomeNsId)
            .Set("$as_id", claim.AsId)
            .Set("$locked", claim.Locked ? 1L : 0L)
            .Set("$claimed_at", ToDb(claim.ClaimedAt));

    public const string NetworkColumns = "net_id, ns_id, name, kek_label, kek_key, token_hash, certificate_thumbprint, created_at, app_s_key_mode";

    public static Network ReadNetwork(SqliteDataReader r) =>
        new(r.GetNetId(0), r.GetStringOrNull(1), r.GetStringOrNull(2), ReadKek(r, 3), r.GetBytes(5), Nullable(r.GetBytesOrNull(6)), r.GetTime(7))
        {
            AppSKeyMode = AppSKeyModes.FromStore(r.GetString(8)),
        };

    public const string ApplicationServerColumns = "as_id, kek_label, kek_key, token_hash, certificate_thumbprint, created_at";

    public static ApplicationServer ReadApplicationServer(SqliteDataReader r) =>
        new(r.GetString(0), ReadKek(r, 1), r.GetBytes(3), Nullable(r.GetBytesOrNull(4)), r.GetTime(5));

    public const string SessionColumns = "dev_eui, session_key_id, ownership_epoch, net_id, as_id, app_s_key, created_at, expires_at";

    public static JoinSession ReadSession(SqliteDataReader r) =>
        new(r.GetDevEui(0), r.GetBytes(1), r.GetInt64(2), r.GetNetId(3), r.GetStringOrNull(4), r.GetSealed(5), r.GetTime(6), r.GetTime(7));

    public static void BindSession(SqliteCommand command, JoinSession session) =>
        command.Set("$dev_eui", ToDb(session.DevEui))
            .Set("$session_key_id", Blob(session.SessionKeyId))
            .Set("$ownership_epoch", session.OwnershipEpoch)
            .Set("$net_id", ToDb(session.NetId))
            .Set("$as_id", session.AsId)
            .Set("$app_s_key", session.AppSKey.ToStorageText())
            .Set("$created_at", ToDb(session.CreatedAt))
            .Set("$expires_at", ToDb(session.ExpiresAt));

    public const string EventColumns = "id, time, tenant_id, type, dev_eui, code, detail, actor";

    public static AuditEvent ReadEvent(SqliteDataReader r) =>
        new(r.GetInt64(0), r.GetTime(1), r.GetString(2), r.GetString(3), r.GetDevEuiOrNull(4), r.GetStringOrNull(5), r.GetStringOrNull(6), r.GetStringOrNull(7));

    public static void BindEvent(SqliteCommand command, AuditEvent auditEvent) =>
        command.Set("$time", ToDb(auditEvent.Time))
            .Set("$tenant_id", auditEvent.TenantId)
            .Set("$type", auditEvent.Type)
            .Set("$dev_eui", auditEvent.DevEui is { } devEui ? ToDb(devEui) : null)
            .Set("$code", auditEvent.Code)
            .Set("$detail", auditEvent.Detail)
            .Set("$actor", auditEvent.Actor);

    public static void BindKek(SqliteCommand command, PeerKek? kek) =>
        command.Set("$kek_label", kek?.Label).Set("$kek_key", kek?.Key.ToStorageText());

    private static PeerKek? ReadKek(SqliteDataReader r, int ordinal) =>
        r.IsDBNull(ordinal) ? null : new PeerKek(r.GetString(ordinal), r.GetSealed(ordinal + 1));

    // The cast matters: "null : bytes" would pick ReadOnlyMemory (null array = empty memory), never a null.
    private static ReadOnlyMemory<byte>? Nullable(byte[]? bytes) => bytes is null ? (ReadOnlyMemory<byte>?)null : bytes;

    private static MacVersion ParseMacVersion(string text)
    {
        foreach (var (known, version) in MacVersions)
        {
            if (known == text)
            {
                return version;
            }
        }
        return MacVersion.Parse(text);
    }
}
