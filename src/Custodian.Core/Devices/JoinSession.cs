using Custodian.Core.Custody;

namespace Custodian.Core.Devices;

/// <summary>
/// A session opened by an accepted join, kept so the application server can fetch its AppSKey
/// (AppSKeyReq) by <see cref="SessionKeyId"/>. It is valid only while the device's ownership epoch is unchanged.
/// </summary>
public sealed record JoinSession(
    DevEui DevEui,
    ReadOnlyMemory<byte> SessionKeyId,
    long OwnershipEpoch,
    NetId NetId,
    string? AsId,
    SealedSecret AppSKey,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt);
