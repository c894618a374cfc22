using Custodian.Core.Claims;
using Custodian.Core.Claims.Policy;
using Custodian.Core.Claims.Routing;
using Custodian.Core.Storage;
using Custodian.Server.Claims.Routing;
using Custodian.Server.Configuration;
using Custodian.Server.Logging;
using Microsoft.Extensions.Options;

namespace Custodian.Server.Claims;

/// <summary>
/// Wires claiming into the host: the local claim service, claim routing (<c>Custodian:Claims:JoinServers</c> and
/// <c>Routes</c>, validated on start), and the claim policy around both. <see cref="IClaimService"/> is the
/// <see cref="ClaimPolicy"/> around the <see cref="RoutedClaimService"/> around the local one: no entry point can
/// get a claim service that skips the lock-outs and budgets.
/// </summary>
public static class ClaimingSetup
{
    public static WebApplicationBuilder AddClaiming(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton(sp => Claims(sp).Lockout);
        services.AddSingleton<IClaimPolicyObserver, ClaimPolicyMetrics>();
        services.AddSingleton<LocalClaimService>();
        // Throttling and recording of the claim APIs: request rate limits, metrics and logs.
        services.AddSingleton<IValidateOptions<CustodianOptions>, ClaimsOptionsValidator>();
        services.AddSingleton<ClaimObservations>();
        services.AddHostedService<ClaimThrottlePruner>();
        services.AddClaimRateLimits();

        // Claim routing: Custodian:Claims:JoinServers and Routes (checked on start with the other options).
        services.AddSingleton<IValidateOptions<CustodianOptions>, ClaimRoutingValidator>();
        services.AddSingleton(sp => ClaimRoutingValidator.BuildTable(Claims(sp)));
        services.AddSingleton<IJoinServerClients>(sp => new JoinServerClients(Claims(sp), sp.GetRequiredService<ILogger<JoinServerV2Client>>()));
        services.AddSingleton(sp => new ClaimPolicy(
            Routed(sp),
            sp.GetRequiredService<ICustodianStore>(),
            PolicyOptions(Claims(sp)),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IClaimPolicyObserver>()));
        services.AddSingleton<IClaimService>(sp => sp.GetRequiredService<ClaimPolicy>());
        return builder;
    }

    private static RoutedClaimService Routed(IServiceProvider sp)
    {
        var routes = sp.GetRequiredService<ClaimRouteTable>();
        var remote = string.Join(", ", routes.RemoteJoinServers);
        ClaimRoutingLog.RoutingConfigured(sp.GetRequiredService<ILogger<RoutedClaimService>>(), routes.Routes.Count, remote.Length == 0 ? "none" : remote);
        return new RoutedClaimService(
            sp.GetRequiredService<LocalClaimService>(),
            routes,
            sp.GetRequiredService<IJoinServerClients>(),
            sp.GetRequiredService<ICustodianStore>(),
            sp.GetRequiredService<TimeProvider>(),
            TenantShares(Claims(sp)),
            sp.GetRequiredService<IClaimPolicyObserver>());
    }

    private static ClaimPolicyOptions PolicyOptions(ClaimsOptions claims) => new()
    {
        Lockout = claims.Lockout,
        BudgetEnabled = claims.RateLimit.Enabled,
        WrongCodes = claims.RateLimit.WrongCodesPerApiKey,
        WrongCodePeriod = claims.RateLimit.WrongCodePeriod,
    };

    // Each tenant's budget at a remote Join Server: its share of what the remote gives our shared credential.
    private static Dictionary<string, WrongCodeAllowance> TenantShares(ClaimsOptions claims) =>
        claims.JoinServers.ToDictionary(
            pair => pair.Key,
            pair => new WrongCodeAllowance(Math.Max(1, (int)(pair.Value.WrongCodesPerHour * pair.Value.TenantShare)), TimeSpan.FromHours(1)),
            StringComparer.OrdinalIgnoreCase);

    private static ClaimsOptions Claims(IServiceProvider services) => services.GetRequiredService<IOptions<CustodianOptions>>().Value.Claims;
}
