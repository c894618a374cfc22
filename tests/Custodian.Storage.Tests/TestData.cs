using System.Security.Cryptography;
using Custodian.Core.Custody;
using Custodian.Core.Devices;
using Custodian.Core.Events;
using Custodian.Core.Peers;
using Custodian.Core.Storage;
using Custodian.Core.Tenancy;

namespace Custodian.Storage.Tests;

/// <summary>Records with every field set (or every optional field null) for the round-trip tests.</summary>
internal static class TestData
{
    /// <summary>A time with milliseconds and a non-UTC offset: stores keep the instant (to the microsecond).</summary>
    public static readonly DateTimeOffset T0 = new(2026, 11, 25, 14, 30, 15, 123, TimeSpan.FromHours(2));

    private static long _nextEui = 0x70B3D57ED0000000;

    public static DevEui NewDevEui() => new(unchecked((ulong)Interlocked.Increment(ref _nextEui)));

    public static SealedSecret Sealed(string label = "kek-1", int size = 24) => new(label, RandomNumberGenerator.GetBytes(size));

    public static Tenant Tenant(string id) => new(id, $"Tenant {id}", T0);

    public static Device Device(DevEui devEui, string maker = "maker") => new()
    {
        DevEui = devEui,
        JoinEui = new JoinEui(0x70B3D57ED0000001),
        MacVersion = MacVersion.V1_0_3,
        MakerTenantId = maker,
        RootKeys = Sealed(),
        ClaimCode = Sealed(size: 32),
        CreatedAt = T0,
    };

    /// <summary>Every optional field set, EUIs with the top bit set (they do not fit a signed 64-bit).</summary>
    public static Device FullDevice(DevEui devEui) => Device(devEui) with
    {
        JoinEui = new JoinEui(0xFFFFFFFFFFFFFFFE),
        MacVersion = MacVersion.V1_1,
        ClaimValidFrom = T0.AddDays(-1),
        ClaimValidUntil = T0.AddDays(30).AddTicks(4560),
        VendorId = 0xFFFF,
        VendorProfileId = 0x0102,
        SerialNumber = "SN-0001",
        Owner = new Ownership("owner", new NetId(0xFFFFFF), "ns-1.example", "as-1", T0.AddHours(1), Locked: false),
        OwnershipEpoch = 7,
        LastDevNonce = new DevNonce(0xFFFE),
        NextJoinNonce = 0xFFFFFF,
        LastJoinAt = T0.AddMinutes(5),
        FailedClaims = 6,
        ClaimLockedUntil = T0.AddMinutes(2).AddTicks(30),
        ClaimCodeIssuer = "reseller",
    };

    /// <summary>Owned by <paramref name="tenantId"/> (a locked claim).</summary>
    public static Device OwnedDevice(DevEui devEui, string tenantId) =>
        Device(devEui) with { Owner = new Ownership(tenantId, new NetId(0x000013), null, null, T0) };

    public static RoutedClaim RoutedClaim(DevEui devEui, string tenantId, bool locked = true) =>
        new(devEui, new JoinEui(0xEC656E0000000001), tenantId, "ttjs", new NetId(0xC00053), "ns.example", "as-1", locked, T0.AddSeconds(3));

    public static Network Network(NetId netId, string? nsId = null) =>
        new(netId, nsId, "Network", new PeerKek("net-kek", Sealed()), RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32), T0);

    public static Network MinimalNetwork(NetId netId) => new(netId, null, null, null, RandomNumberGenerator.GetBytes(32), null, T0);

    public static ApplicationServer ApplicationServer(string asId) =>
        new(asId, new PeerKek("as-kek", Sealed()), RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32), T0);

    public static ApiKeyRecord ApiKey(string tenantId, ApiRights rights, byte[]? certificateThumbprint = null) =>
        new(SecretToken.NewId("key_"), tenantId, "A key", rights, SecretToken.Hash(SecretToken.Generate(SecretToken.ApiKeyPrefix)), T0,
            // The cast matters: a null array converts to empty memory, which is a thumbprint, not none.
            certificateThumbprint is null ? (ReadOnlyMemory<byte>?)null : certificateThumbprint);

    public static AuditEvent Event(string tenantId, DevEui? devEui, string type = AuditEventTypes.JoinAccepted) =>
        new(0, T0, tenantId, type, devEui, "Success", "detail", "network:000013");

    public static JoinSession Session(DevEui devEui, byte[]? sessionKeyId = null) =>
        new(devEui, sessionKeyId ?? RandomNumberGenerator.GetBytes(16), 3, new NetId(0x000013), "as-1", Sealed(), T0, T0.AddDays(7));

    /// <summary>A join on <paramref name="read"/>: the counters a join server would write.</summary>
    public static JoinCommit Join(Device read, ushort devNonce, bool remember = true, byte[]? sessionKeyId = null) => new(
        read with { LastDevNonce = new DevNonce(devNonce), NextJoinNonce = read.NextJoinNonce + 1, LastJoinAt = T0.AddSeconds(devNonce) },
        read.Version,
        new DevNonce(devNonce),
        remember,
        Session(read.DevEui, sessionKeyId),
        Event(read.MakerTenantId, read.DevEui));
}
