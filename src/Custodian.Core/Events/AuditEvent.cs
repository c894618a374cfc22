namespace Custodian.Core.Events;

/// <summary>
/// One audited fact: a join accepted or refused, a claim, an unclaim… scoped to a tenant.
/// <see cref="Id"/> is assigned by the store and rises; <see cref="Code"/> is a stable code
/// (for Backend Interfaces events: <c>Success</c>, or the refusal's cause from the join error catalogue);
/// <see cref="Detail"/> is human text, never a secret. Actor and detail are capped in length, so no
/// caller can make one event large.
/// </summary>
public sealed record AuditEvent(
    long Id,
    DateTimeOffset Time,
    string TenantId,
    string Type,
    DevEui? DevEui,
    string? Code,
    string? Detail,
    string? Actor)
{
    /// <summary>Longer actors are cut: the longest we write is <c>as:</c> and a 255-character AS-ID.</summary>
    public const int MaxActorLength = 300;

    /// <summary>Longer details are cut: an event is a fact and its reason, never a carrier of bulk text.</summary>
    public const int MaxDetailLength = 2000;

    public string? Detail { get; init => field = Cap(value, MaxDetailLength); } = Cap(Detail, MaxDetailLength);

    public string? Actor { get; init => field = Cap(value, MaxActorLength); } = Cap(Actor, MaxActorLength);

    /// <summary>Cuts <paramref name="text"/> to at most <paramref name="max"/> characters, marking the cut, never inside a surrogate pair.</summary>
    public static string? Cap(string? text, int max)
    {
        if (text is null || text.Length <= max)
        {
            return text;
        }
        var keep = max - 1;
        if (char.IsHighSurrogate(text[keep - 1]))
        {
            keep--;
        }
        return string.Concat(text.AsSpan(0, keep), "…");
    }
}

/// <summary>A page of a tenant's events, newest first: those with an id below <see cref="BeforeId"/> when set.</summary>
public sealed record EventQuery(string TenantId, DevEui? DevEui, long? BeforeId, int Limit);

/// <summary>Event types; dotted, stable.</summary>
public static class AuditEventTypes
{
    public const string JoinAccepted = "join.accepted";
    public const string JoinRefused = "join.refused";
    public const string RejoinAccepted = "rejoin.accepted";
    public const string RejoinRefused = "rejoin.refused";
    public const string AppSKeyDelivered = "appskey.delivered";
    public const string AppSKeyRefused = "appskey.refused";
    public const string DeviceProvisioned = "device.provisioned";
    /// <summary>
    /// Security-relevant: after a DevNonce reset, captured JoinRequests of the device are accepted again once.
    /// In the owner's tenant; needs the <c>devices:unclaim</c> right.
    /// </summary>
    public const string DevNoncesReset = "security.dev_nonces_reset";

    /// <summary>In the claimant's tenant; and <see cref="DeviceClaimed"/> in the maker's, when another tenant claimed.</summary>
    public const string ClaimSucceeded = "claim.succeeded";

    /// <summary>In the claimant's tenant, with the reason as the code (an error code of the catalogue).</summary>
    public const string ClaimFailed = "claim.failed";

    /// <summary>In the maker's tenant: one of its devices was claimed by another tenant.</summary>
    public const string DeviceClaimed = "device.claimed";

    /// <summary>In the claimant's tenant: its wrong codes locked it (only it) out of claiming the device for a while.</summary>
    public const string ClaimLocked = "device.claim_locked";

    /// <summary>
    /// In the tenant that holds the device (owner, else maker): every claimant together presented many wrong codes
    /// for it (each <c>Custodian:Claims:Lockout:DeviceAlertEvery</c>); nobody is locked out by it, it is an alert.
    /// </summary>
    public const string ClaimAttackSuspected = "device.claim_attack_suspected";

    /// <summary>In the operator's tenant: a remote Join Server refused our shared credential with <c>rate_limited</c>.</summary>
    public const string UpstreamRateLimited = "routing.upstream_rate_limited";

    public const string Unclaimed = "claim.unclaimed";
    public const string ClaimCodeRotated = "device.claim_code_rotated";
}
