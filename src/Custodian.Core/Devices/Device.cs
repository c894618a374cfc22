using Custodian.Core.Custody;

namespace Custodian.Core.Devices;

/// <summary>
/// A device as the registry keeps it: identity and version, the maker's data (root keys and claim code,
/// sealed), the current ownership, and the join counters. <see cref="Version"/> belongs to the store:
/// it rises with every write, so a write based on a stale read is refused.
/// </summary>
public sealed record Device
{
    public required DevEui DevEui { get; init; }

    public required JoinEui JoinEui { get; init; }

    public required MacVersion MacVersion { get; init; }

    /// <summary>The tenant that provisioned the device.</summary>
    public required string MakerTenantId { get; init; }

    /// <summary>The NwkKey (a 1.0.x device's only key), then the AppKey for 1.1.</summary>
    public required SealedSecret RootKeys { get; init; }

    public required SealedSecret ClaimCode { get; init; }

    /// <summary>
    /// The tenant that issued <see cref="ClaimCode"/>: null for the maker (the code of provisioning), else the
    /// owner that rotated it on unclaiming. The maker may read the code only while it issued it (see <see cref="MakerIssuedClaimCode"/>).
    /// </summary>
    public string? ClaimCodeIssuer { get; init; }

    public DateTimeOffset? ClaimValidFrom { get; init; }

    public DateTimeOffset? ClaimValidUntil { get; init; }

    /// <summary>TR005 VendorID (16 bits, shown as 4 hex digits).</summary>
    public ushort? VendorId { get; init; }

    /// <summary>TR005 VendorProfileID (16 bits, shown as 4 hex digits).</summary>
    public ushort? VendorProfileId { get; init; }

    public string? SerialNumber { get; init; }

    /// <summary>Null while unclaimed. A pre-activated device is owned by its maker from the start.</summary>
    public Ownership? Owner { get; init; }

    /// <summary>Rises with every claim and unclaim; a session is valid only under the epoch it was issued in.</summary>
    public long OwnershipEpoch { get; init; }

    /// <summary>The last accepted DevNonce (1.0.4 and 1.1 require the next to be greater).</summary>
    public DevNonce? LastDevNonce { get; init; }

    /// <summary>The JoinNonce the next accepted join will carry (a per-device counter, 24 bits).</summary>
    public uint NextJoinNonce { get; init; }

    public DateTimeOffset? LastJoinAt { get; init; }

    /// <summary>Wrong claim codes presented since the last successful claim; enough of them lock the device.</summary>
    public int FailedClaims { get; init; }

    /// <summary>While in the future, every claim of this device is refused with a Retry-After (wrong codes were tried).</summary>
    public DateTimeOffset? ClaimLockedUntil { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public long Version { get; init; }

    public DeviceState State => Owner is null ? DeviceState.Unclaimed : DeviceState.Claimed;

    /// <summary>True while the current claim code is the maker's own: no other tenant issued it.</summary>
    public bool MakerIssuedClaimCode => ClaimCodeIssuer is null || ClaimCodeIssuer == MakerTenantId;
}

/// <summary>
/// Who owns a device and where it is homed. A <see cref="Locked"/> claim (the default) can only be released by
/// its owner; an unlocked one (The Things Join Server's <c>lock: false</c>) passes to the next tenant that
/// presents the right claim code.
/// </summary>
public sealed record Ownership(string TenantId, NetId HomeNetId, string? HomeNsId, string? AsId, DateTimeOffset ClaimedAt, bool Locked = true);

public enum DeviceState
{
    Unclaimed,
    Claimed,
}
