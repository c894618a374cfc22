namespace Custodian.Core.Claims.Policy;

/// <summary>The keys of the claim throttles in the store: one place, so that no two throttles share a key by accident.</summary>
public static class ClaimThrottleKeys
{
    /// <summary>One claimant's (tenant's) wrong codes for one DevEUI, whether or not this server holds the device.</summary>
    public static string Lockout(DevEui devEui, string tenantId) => $"lock:{devEui}:{tenantId}";

    /// <summary>The wrong-code budget of one API key (or actor).</summary>
    public static string Budget(Claimant claimant) => $"budget:{claimant.KeyId ?? claimant.Actor}";

    /// <summary>One tenant's share of a remote Join Server's wrong-code budget.</summary>
    public static string RoutedBudget(string joinServer, string tenantId) => $"routed:{joinServer.ToUpperInvariant()}:{tenantId}";

    /// <summary>When the operator was last alerted that a remote Join Server rate-limits us.</summary>
    public static string UpstreamAlert(string joinServer) => $"alert:upstream:{joinServer.ToUpperInvariant()}";
}
