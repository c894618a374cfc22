using Custodian.Core.Claims;
using Custodian.Core.Claims.Policy;
using Custodian.Server.Observability;
using Prometheus;

namespace Custodian.Server.Claims;

/// <summary>
/// What the claim policy reports, as Prometheus counters and logs: wrong-code budgets spent (the existing
/// <c>custodian_claim_requests_rate_limited_total{limit="wrong_codes"}</c>, and <c>routed_wrong_codes</c> for a
/// tenant's share of a remote's budget), claimants locked out, devices whose holder was alerted, and remote Join
/// Servers that rate-limit us.
/// </summary>
public sealed partial class ClaimPolicyMetrics : IClaimPolicyObserver
{
    public const string LockoutsMetric = "custodian_claim_lockouts_total";
    public const string DeviceAlertsMetric = "custodian_claim_device_alerts_total";
    public const string UpstreamRateLimitedMetric = "custodian_claim_upstream_rate_limited_total";
    public const string RoutedWrongCodesLimit = "routed_wrong_codes";

    private readonly ILogger<ClaimPolicyMetrics> _logger;
    private readonly Counter _rateLimited;
    private readonly Counter _lockouts;
    private readonly Counter _deviceAlerts;
    private readonly Counter _upstream;

    public ClaimPolicyMetrics(CustodianMetrics metrics, ILogger<ClaimPolicyMetrics> logger)
    {
        _logger = logger;
        // The same counter ClaimObservations counts the request limits in (one definition per registry).
        _rateLimited = metrics.Factory.CreateCounter(ClaimObservations.RateLimitedMetric, ClaimObservations.RateLimitedHelp, new CounterConfiguration { LabelNames = ["limit"] });
        _lockouts = metrics.Factory.CreateCounter(LockoutsMetric, "Claimants (tenants) locked out of one DevEUI by their own wrong claim codes.");
        _deviceAlerts = metrics.Factory.CreateCounter(DeviceAlertsMetric, "Devices whose holder was alerted of many wrong claim codes from all claimants together.");
        _upstream = metrics.Factory.CreateCounter(UpstreamRateLimitedMetric, "Routed claims a remote Join Server refused with rate_limited, by Join Server.", new CounterConfiguration { LabelNames = ["join_server"] });
    }

    public void WrongCodeBudgetSpent(Claimant claimant, int refused, TimeSpan retryAfter)
    {
        _rateLimited.WithLabels(ClaimObservations.WrongCodesLimit).Inc();
        BudgetSpent(_logger, claimant.KeyId ?? claimant.Actor, claimant.TenantId, refused, Math.Ceiling(retryAfter.TotalSeconds));
    }

    public void ClaimantLocked(Claimant claimant, DevEui devEui, DateTimeOffset until)
    {
        _lockouts.Inc();
        ClaimantLockedOut(_logger, claimant.TenantId, devEui.ToString(), until);
    }

    public void DeviceAlert(DevEui devEui, int failures)
    {
        _deviceAlerts.Inc();
        DeviceAlerted(_logger, devEui.ToString(), failures);
    }

    public void RoutedBudgetSpent(string joinServer, Claimant claimant)
    {
        _rateLimited.WithLabels(RoutedWrongCodesLimit).Inc();
        RoutedShareSpent(_logger, claimant.TenantId, joinServer);
    }

    public void UpstreamRateLimited(string joinServer, Claimant claimant)
    {
        _upstream.WithLabels(joinServer).Inc();
        UpstreamLimited(_logger, joinServer, claimant.TenantId);
    }

    [LoggerMessage(1130, LogLevel.Warning, "API key {KeyId} of tenant {TenantId} has spent its wrong claim code budget: {Refused} claims refused, retry in {RetryAfterSeconds} s")]
    private static partial void BudgetSpent(ILogger logger, string keyId, string tenantId, int refused, double retryAfterSeconds);

    [LoggerMessage(1131, LogLevel.Warning, "Tenant {TenantId} is locked out of claiming {DevEui} until {Until} by its own wrong claim codes")]
    private static partial void ClaimantLockedOut(ILogger logger, string tenantId, string devEui, DateTimeOffset until);

    [LoggerMessage(1132, LogLevel.Warning, "Device {DevEui} has had {Failures} wrong claim codes from all claimants together; its holder was alerted")]
    private static partial void DeviceAlerted(ILogger logger, string devEui, int failures);

    [LoggerMessage(1133, LogLevel.Warning, "Tenant {TenantId} has spent its share of Join Server '{JoinServer}''s wrong-code budget")]
    private static partial void RoutedShareSpent(ILogger logger, string tenantId, string joinServer);

    [LoggerMessage(1134, LogLevel.Error, "Join Server '{JoinServer}' rate-limits this server's shared credential (claim of tenant {TenantId}); the operator was alerted")]
    private static partial void UpstreamLimited(ILogger logger, string joinServer, string tenantId);
}
