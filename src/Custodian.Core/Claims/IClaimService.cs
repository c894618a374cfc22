using Custodian.Core.Devices;
using Custodian.Core.Errors;

namespace Custodian.Core.Claims;

/// <summary>
/// Claiming as the APIs see it (REST v1, and The Things Join Server's v2 API). <see cref="LocalClaimService"/>
/// decides for the devices this server holds; a routing layer forwards other JoinEUIs to their Join Server.
/// Every answer is scoped to the claimant: another tenant's device is the same "not found" as no device.
/// </summary>
public interface IClaimService
{
    /// <summary>One outcome per target, in the same order.</summary>
    Task<IReadOnlyList<ClaimOutcome>> ClaimAsync(Claimant claimant, IReadOnlyList<ClaimTarget> targets, CancellationToken cancellationToken);

    /// <summary>The claim when the claimant owns the device; otherwise <see cref="CustodianErrors.DeviceNotFound"/>.</summary>
    Task<ClaimStatusOutcome> GetStatusAsync(Claimant claimant, DevEui devEui, CancellationToken cancellationToken);

    /// <summary>The claimant's devices by DevEUI; <see cref="ClaimPage.Next"/> is set when there may be more.</summary>
    Task<ClaimPage> ListAsync(Claimant claimant, DevEui? after, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Releases each device the claimant owns, revoking the sessions issued under its ownership; with
    /// <paramref name="rotateCode"/>, gives each a fresh claim code (returned once, in the outcome).
    /// </summary>
    Task<IReadOnlyList<UnclaimOutcome>> UnclaimAsync(Claimant claimant, IReadOnlyList<DevEui> devEuis, bool rotateCode, CancellationToken cancellationToken);

    /// <summary>Whether devices of this JoinEUI can be claimed here, and which Join Server holds them.</summary>
    JoinEuiInfo Describe(JoinEui joinEui);
}

/// <summary>
/// Who claims: a tenant, and the actor for the audit (e.g. <c>apikey:&lt;id&gt;</c>). <see cref="KeyId"/> names the
/// wrong-code budget (the actor when null); <see cref="WrongCodesPerHour"/> is the key's own budget, when an admin set one.
/// </summary>
public sealed record Claimant(string TenantId, string Actor)
{
    public string? KeyId { get; init; }

    public int? WrongCodesPerHour { get; init; }
}

/// <summary>A device's claim as its owner sees it.</summary>
public sealed record ClaimStatus(
    DevEui DevEui,
    JoinEui JoinEui,
    NetId HomeNetId,
    string? HomeNsId,
    string? AsId,
    bool Locked,
    DateTimeOffset ClaimedAt,
    string JoinServer,
    DateTimeOffset? LastJoinAt = null);

public enum ClaimResult
{
    /// <summary>The claimant now owns the device (newly, or moved to another home network).</summary>
    Claimed,

    /// <summary>The claimant already owned it, homed as asked: nothing changed.</summary>
    AlreadyClaimed,

    Failed,
}

/// <summary>The outcome of one claim: <see cref="Status"/> unless it failed, then <see cref="Failure"/>.</summary>
public sealed record ClaimOutcome(DevEui DevEui, ClaimResult Result, ClaimStatus? Status, CustodianFailure? Failure)
{
    public static ClaimOutcome Failed(DevEui devEui, CustodianFailure failure) => new(devEui, ClaimResult.Failed, null, failure);
}

public sealed record ClaimStatusOutcome(ClaimStatus? Status, CustodianFailure? Failure);

public sealed record ClaimPage(IReadOnlyList<ClaimStatus> Claims, DevEui? Next);

/// <summary>The outcome of one unclaim: <see cref="NewClaimCode"/> is set when a code was rotated (shown once).</summary>
public sealed record UnclaimOutcome(DevEui DevEui, CustodianFailure? Failure, ClaimCode? NewClaimCode)
{
    public bool Succeeded => Failure is null;

    public override string ToString() => $"UnclaimOutcome {{ DevEui = {DevEui}, Failure = {Failure?.Error.Code} }}";
}

/// <summary><see cref="JoinServer"/> is the route's name (<see cref="LocalClaimService.JoinServerName"/> for this server).</summary>
public sealed record JoinEuiInfo(JoinEui JoinEui, bool Claimable, string? JoinServer);
