using Custodian.Core.Custody;
using Custodian.Core.Devices;
using Custodian.Core.Events;
using Custodian.Core.Peers;
using Custodian.Core.Storage;
using Custodian.Core.Tenancy;
using Npgsql;
using NpgsqlTypes;
using static Custodian.Storage.Postgres.PostgresValues;

namespace Custodian.Storage.Postgres;

/// <summary>The columns of each table and the mapping between rows and the domain records.</summary>
internal static class PostgresRows
{
    public const string DeviceColumns =
        "dev_eui, join_eui, mac_version, maker_tenant_id, root_keys, claim_code, claim_valid_from, claim_valid_until, " +
        "vendor_id, vendor_profile_id, serial_number, owner_tenant_id, home_net_id, home_ns_id, as_id, claimed_at, " +
        "ownership_epoch, last_dev_nonce, next_join_nonce, last_join_at, created_at, failed_claims, claim_locked_until, owner_locked, claim_code_issuer, version";

    private static readonly (string Text, MacVersion Version)[] MacVersions =
        [.. MacVersion.All.Select(v => (v.ToString(), v))];

    /// <summary>$1…$25: every column but the version, in <see cref="DeviceColumns"/> order.</summary>
    public static NpgsqlCommand WithDevice(this NpgsqlCommand command, Device device)
    {
        var owner = device.Owner;
        return command.With(device.DevEui)
            .With(ToDb(device.JoinEui), NpgsqlDbType.Bigint)
            .WithText(device.MacVersion.ToString())
            .WithText(device.MakerTenantId)
            .WithText(device.RootKeys.ToStorageText())
            .WithText(device.ClaimCode.ToStorageText())
            .WithTime(device.ClaimValidFrom)
            .WithTime(device.ClaimValidUntil)
            .With((int?)device.VendorId, NpgsqlDbType.Integer)
            .With((int?)device.VendorProfileId, NpgsqlDbType.Integer)
            .WithText(device.SerialNumber)
            .WithText(owner?.TenantId)
            .With(owner is null ? null : ToDb(owner.HomeNetId), NpgsqlDbType.Integer)
            .WithText(owner?.HomeNsId)
            .WithText(owner?.AsId)
            .WithTime(owner?.ClaimedAt)
            .With(device.OwnershipEpoch, NpgsqlDbType.Bigint)
            .With((int?)device.LastDevNonce?.Value, NpgsqlDbType.Integer)
            .With((long)device.NextJoinNonce, NpgsqlDbType.Bigint)
            .WithTime(device.LastJoinAt)
            .WithTime(device.CreatedAt)
            .With(device.FailedClaims, NpgsqlDbType.Integer)
            .WithTime(device.ClaimLockedUntil)
            .With(owner?.Locked ?? true, NpgsqlDbType.Boolean)
            .WithText(device.ClaimCodeIssuer);
    }

    /// <summary>$1…$25 as arrays, one element per device, for an <c>unnest</c> insert or update of many devices.</summary>
    public static NpgsqlCommand WithDeviceArrays(this NpgsqlCommand command, IReadOnlyList<Device> devices)
    {
        T[] Column<T>(Func<Device, T> value) => [.. devices.Select(value)];
        return command
            .With(Column(d => ToDb(d.DevEui)), NpgsqlDbType.Array | NpgsqlDbType.Bigint)
            .With(Column(d => ToDb(d.JoinEui)), NpgsqlDbType.Array | NpgsqlDbType.Bigint)
            .With(Column(d => d.MacVersion.ToString()), NpgsqlDbType.Array | NpgsqlDbType.Text)
            .With(Column(d => d.MakerTenantId), NpgsqlDbType.Array | NpgsqlDbType.Text)
            .With(Column(d => d.RootKeys.ToStorageText()), NpgsqlDbType.Array | NpgsqlDbType.Text)
            .With(Column(d => d.ClaimCode.ToStorageText()), NpgsqlDbType.Array | NpgsqlDbType.Text)
            .With(Column(d => ToDb(d.ClaimValidFrom)), NpgsqlDbType.Array | NpgsqlDbType.TimestampTz)
            .With(Column(d => ToDb(d.ClaimValidUntil)), NpgsqlDbType.Array | NpgsqlDbType.TimestampTz)
            .With(Column(d => (int?)d.VendorId), NpgsqlDbType.Array | NpgsqlDbType.Integer)
            .With(Column(d => (int?)d.VendorProfileId), NpgsqlDbType.Array | NpgsqlDbType.Integer)
            .With(Column(d => d.SerialNumber), NpgsqlDbType.Array | NpgsqlDbType.Text)
            .With(Column(d => d.Owner?.TenantId), NpgsqlDbType.Array | NpgsqlDbType.Text)
            .With(Column(d => d.Owner is { } o ? ToDb(o.HomeNetId) : (int?)null), NpgsqlDbType.Array | NpgsqlDbType.Integer)
            .With(Column(d => d.Owner?.HomeNsId), NpgsqlDbType.Array | NpgsqlDbType.Text)
            .With(Column(d => d.Owner?.AsId), NpgsqlDbType.Array | NpgsqlDbType.Text)
            .With(Column(d => ToDb(d.Owner?.ClaimedAt)), NpgsqlDbType.Array | NpgsqlDbType.TimestampTz)
            .With(Column(d => d.OwnershipEpoch), NpgsqlDbType.Array | NpgsqlDbType.Bigint)
            .With(Column(d => (int?)d.LastDevNonce?.Value), NpgsqlDbType.Array | NpgsqlDbType.Integer)
            .With(Column(d => (long)d.NextJoinNonce), NpgsqlDbType.Array | NpgsqlDbType.Bigint)
            .With(Column(d => ToDb(d.LastJoinAt)), NpgsqlDbType.Array | NpgsqlDbType.TimestampTz)
            .With(Column(d => ToDb(d.CreatedAt)), NpgsqlDbType.Array | NpgsqlDbType.TimestampTz)
            .With(Column(d => d.FailedClaims), NpgsqlDbType.Array | NpgsqlDbType.Integer)
            .With(Column(d => ToDb(d.ClaimLockedUntil)), NpgsqlDbType.Array | NpgsqlDbType.TimestampTz)
            .With(Column(d => d.Owner?.Locked ?? true), NpgsqlDbType.Array | NpgsqlDbType.Boolean)
            .With(Column(d => d.ClaimCodeIssuer), NpgsqlDbType.Array | NpgsqlDbType.Text);
    }

    public static Device ReadDevice(NpgsqlDataReader r) => new()
    {
        DevEui = r.GetDevEui(0),
        JoinEui = r.GetJoinEui(1),
        MacVersion = ParseMacVersion(r.GetString(2)),
        MakerTenantId = r.GetString(3),
        RootKeys = r.GetSealed(4),
        ClaimCode = r.GetSealed(5),
        ClaimValidFrom = r.GetTimeOrNull(6),
        ClaimValidUntil = r.GetTimeOrNull(7),
        VendorId = r.IsDBNull(8) ? null : (ushort)r.GetInt32(8),
        VendorProfileId = r.IsDBNull(9) ? null : (ushort)r.GetInt32(9),
        SerialNumber = r.GetStringOrNull(10),
        Owner = r.IsDBNull(11)
            ? null
            : new Ownership(r.GetString(11), r.GetNetId(12), r.GetStringOrNull(13), r.GetStringOrNull(14), r.GetTime(15), r.GetBoolean(23)),
        OwnershipEpoch = r.GetInt64(16),
        LastDevNonce = r.IsDBNull(17) ? null : new DevNonce((ushort)r.GetInt32(17)),
        NextJoinNonce = (uint)r.GetInt64(18),
        LastJoinAt = r.GetTimeOrNull(19),
        CreatedAt = r.GetTime(20),
        FailedClaims = r.GetInt32(21),
        ClaimLockedUntil = r.GetTimeOrNull(22),
        ClaimCodeIssuer = r.GetStringOrNull(24),
        Version = r.GetInt64(25),
    };

    public const string TenantColumns = "id, name, created_at";

    public static Tenant ReadTenant(NpgsqlDataReader r) => new(r.GetString(0), r.GetString(1), r.GetTime(2));

    public const string ApiKeyColumns = "id, tenant_id, name, rights, secret_hash, created_at, certificate_thumbprint";

    public static ApiKeyRecord ReadApiKey(NpgsqlDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), (ApiRights)r.GetInt32(3), r.GetBytes(4), r.GetTime(5), r.GetBytesOrNull(6));

    public const string RoutedClaimColumns = "dev_eui, join_eui, tenant_id, join_server, home_net_id, home_ns_id, as_id, locked, claimed_at";

    public static RoutedClaim ReadRoutedClaim(NpgsqlDataReader r) =>
        new(r.GetDevEui(0), r.GetJoinEui(1), r.GetString(2), r.GetString(3), r.GetNetId(4), r.GetStringOrNull(5), r.GetStringOrNull(6), r.GetBoolean(7), r.GetTime(8));

    /// <summary>$1…$9 in <see cref="RoutedClaimColumns"/> order.</summary>
    public static NpgsqlCommand WithRoutedClaim(this NpgsqlCommand command, RoutedClaim claim) =>
        command.With(claim.DevEui)
            .With(ToDb(claim.JoinEui), NpgsqlDbType.Bigint)
            .WithText(claim.TenantId)
            .WithText(claim.JoinServer)
            .With(ToDb(claim.HomeNetId), NpgsqlDbType.Integer)
            .WithText(claim.HomeNsId)
            .WithText(claim.AsId)
            .With(claim.Locked, NpgsqlDbType.Boolean)
            .WithTime(claim.ClaimedAt);

    public const string NetworkColumns = "net_id, ns_id, name, kek_label, kek_key, token_hash, certificate_thumbprint, created_at, app_s_key_mode";

    public static Network ReadNetwork(NpgsqlDataReader r) =>
        new(r.GetNetId(0), r.GetStringOrNull(1), r.GetStringOrNull(2), ReadKek(r, 3), r.GetBytes(5), r.GetBytesOrNull(6), r.GetTime(7))
        {
            AppSKeyMode = AppSKeyModes.FromStore(r.GetString(8)),
        };

    public const string ApplicationServerColumns = "as_id, kek_label, kek_key, token_hash, certificate_thumbprint, created_at";

    public static ApplicationServer ReadApplicationServer(NpgsqlDataReader r) =>
        new(r.GetString(0), ReadKek(r, 1), r.GetBytes(3), r.GetBytesOrNull(4), r.GetTime(5));

    public const string SessionColumns = "dev_eui, session_key_id, ownership_epoch, net_id, as_id, app_s_key, created_at, expires_at";

    public static JoinSession ReadSession(NpgsqlDataReader r) =>
        new(r.GetDevEui(0), r.GetBytes(1), r.GetInt64(2), r.GetNetId(3), r.GetStringOrNull(4), r.GetSealed(5), r.GetTime(6), r.GetTime(7));

    public const string EventColumns = "id, time, tenant_id, type, dev_eui, code, detail, actor";

    public static AuditEvent ReadEvent(NpgsqlDataReader r) =>
        new(r.GetInt64(0), r.GetTime(1), r.GetString(2), r.GetString(3), r.GetDevEuiOrNull(4), r.GetStringOrNull(5), r.GetStringOrNull(6), r.GetStringOrNull(7));

    /// <summary>Seven parameters: time, tenant, type, DevEUI, code, detail, actor.</summary>
    public static NpgsqlCommand WithEvent(this NpgsqlCommand command, AuditEvent e) =>
        command.WithTime(e.Time)
            .WithText(e.TenantId)
            .WithText(e.Type)
            .With(e.DevEui is { } devEui ? ToDb(devEui) : null, NpgsqlDbType.Bigint)
            .WithText(e.Code)
            .WithText(e.Detail)
            .WithText(e.Actor);

    /// <summary>Seven arrays (time, tenant, type, DevEUI, code, detail, actor), one element per event, for an <c>unnest</c> insert.</summary>
    public static NpgsqlCommand WithEventArrays(this NpgsqlCommand command, IReadOnlyList<AuditEvent> events)
    {
        T[] Column<T>(Func<AuditEvent, T> value) => [.. events.Select(value)];
        return command
            .With(Column(e => ToDb(e.Time)), NpgsqlDbType.Array | NpgsqlDbType.TimestampTz)
            .With(Column(e => e.TenantId), NpgsqlDbType.Array | NpgsqlDbType.Text)
            .With(Column(e => e.Type), NpgsqlDbType.Array | NpgsqlDbType.Text)
            .With(Column(e => e.DevEui is { } devEui ? ToDb(devEui) : (long?)null), NpgsqlDbType.Array | NpgsqlDbType.Bigint)
            .With(Column(e => e.Code), NpgsqlDbType.Array | NpgsqlDbType.Text)
            .With(Column(e => e.Detail), NpgsqlDbType.Array | NpgsqlDbType.Text)
            .With(Column(e => e.Actor), NpgsqlDbType.Array | NpgsqlDbType.Text);
    }

    public static NpgsqlCommand WithKek(this NpgsqlCommand command, PeerKek? kek) =>
        command.WithText(kek?.Label).WithText(kek?.Key.ToStorageText());

    private static PeerKek? ReadKek(NpgsqlDataReader r, int ordinal) =>
        r.IsDBNull(ordinal) ? null : new PeerKek(r.GetString(ordinal), r.GetSealed(ordinal + 1));

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
