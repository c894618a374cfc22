namespace Custodian.Core.Claims.Policy;

/// <summary>
/// What the claim policy reports beside its answers and audit events, for the host's metrics and logs. Calls come
/// after the store has the facts; an observer must not throw.
/// </summary>
public interface IClaimPolicyObserver
{
    /// <summary>The claimant's wrong-code budget is spent: <paramref name="refused"/> claims of one call were not decided.</summary>
    void WrongCodeBudgetSpent(Claimant claimant, int refused, TimeSpan retryAfter);

    /// <summary>The claimant's wrong codes locked it out of one DevEUI until <paramref name="until"/>.</summary>
    void ClaimantLocked(Claimant claimant, DevEui devEui, DateTimeOffset until);

    /// <summary>A device reached <paramref name="failures"/> wrong codes from every claimant together: its holder was alerted.</summary>
    void DeviceAlert(DevEui devEui, int failures);

    /// <summary>The tenant's share of a remote Join Server's wrong-code budget is spent.</summary>
    void RoutedBudgetSpent(string joinServer, Claimant claimant);

    /// <summary>A remote Join Server answered <c>rate_limited</c> to our (shared) credential.</summary>
    void UpstreamRateLimited(string joinServer, Claimant claimant);
}

/// <summary>Reports nothing (tests, tools).</summary>
public sealed class NoClaimPolicyObserver : IClaimPolicyObserver
{
    public static readonly NoClaimPolicyObserver Instance = new();

    public void WrongCodeBudgetSpent(Claimant claimant, int refused, TimeSpan retryAfter)
    {
    }

    public void ClaimantLocked(Claimant claimant, DevEui devEui, DateTimeOffset until)
    {
    }

    public void DeviceAlert(DevEui devEui, int failures)
    {
    }

    public void RoutedBudgetSpent(string joinServer, Claimant claimant)
    {
    }

    public void UpstreamRateLimited(string joinServer, Claimant claimant)
    {
    }
}
