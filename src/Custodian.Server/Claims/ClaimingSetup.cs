using Custodian.Core.Claims;
using Custodian.Core.Claims.Routing;
using Custodian.Core.Storage;
using Custodian.Server.Claims.Routing;
using Custodian.Server.Configuration;
using Custodian.Server.Logging;
using Microsoft.Extensions.Options;

namespace Custodian.Server.Claims;

/// <summary>
/// Wires claiming into the host: the local claim service and its lock-out policy, and claim routing
/// (<c>Custodian:Claims:JoinServers</c> and <c>Routes</c>, validated on start): <see cref="IClaimService"/> is the
/// <see cref="RoutedClaimService"/> around the local one.
/// </summary>
public static class ClaimingSetup
{
    public static WebApplicationBuilder AddClaiming(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton(sp => Claims(sp).Lockout);
        services.AddSingleton<UnknownDeviceAttempts>(sp => new UnknownDeviceAttempts(sp.GetRequiredService<ClaimLockout>()));
        services.AddSingleton<LocalClaimService>();
        // Throttling and recording of the claim APIs: rate limits, wrong-code budget, metrics and logs.
        services.AddSingleton<IValidateOptions<CustodianOptions>, ClaimsOptionsValidator>();
        services.AddSingleton<WrongCodeBudget>();
        services.AddSingleton<ClaimObservations>();
        services.AddClaimRateLimits();

        // Claim routing: Custodian:Claims:JoinServers and Routes (checked on start with the other options).
        services.AddSingleton<IValidateOptions<CustodianOptions>, ClaimRoutingValidator>();
        services.AddSingleton(sp => ClaimRoutingValidator.BuildTable(Claims(sp)));
        services.AddSingleton<IJoinServerClients>(sp => new JoinServerClients(Claims(sp), sp.GetRequiredService<ILogger<JoinServerV2Client>>()));
        services.AddSingleton<IClaimService>(sp =>
        {
            var routes = sp.GetRequiredService<ClaimRouteTable>();
            var remote = string.Join(", ", routes.RemoteJoinServers);
            ClaimRoutingLog.RoutingConfigured(sp.GetRequiredService<ILogger<RoutedClaimService>>(), routes.Routes.Count, remote.Length == 0 ? "none" : remote);
            return new RoutedClaimService(
                sp.GetRequiredService<LocalClaimService>(),
                routes,
                sp.GetRequiredService<IJoinServerClients>(),
                sp.GetRequiredService<ICustodianStore>(),
                sp.GetRequiredService<TimeProvider>());
        });
        return builder;
    }

    private static ClaimsOptions Claims(IServiceProvider services) => services.GetRequiredService<IOptions<CustodianOptions>>().Value.Claims;
}
