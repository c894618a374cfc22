using Custodian.Core.Claims;
using Custodian.Core.Claims.Routing;
using Custodian.Core.Storage;
using Custodian.Server.Claims.Routing;
using Custodian.Server.Configuration;
using Microsoft.Extensions.Options;

namespace Custodian.Server.Claims;

/// <summary>
/// Wires claiming into the host: the local claim service and its lock-out policy, and claim routing
/// (<c>Custodian:Claims:JoinServers</c> and <c>Routes</c>, validated on start): <see cref="IClaimService"/> is the
/// <see cref="RoutedClaimService"/> around the local one.
/// </summary>
public static class ClaimingSetup
{
    public const string LockoutSection = "Custodian:Claims:Lockout";

    public static WebApplicationBuilder AddClaiming(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton(builder.Configuration.GetSection(LockoutSection).Get<ClaimLockout>() ?? new ClaimLockout());
        services.AddSingleton<UnknownDeviceAttempts>(sp => new UnknownDeviceAttempts(sp.GetRequiredService<ClaimLockout>()));
        services.AddSingleton<LocalClaimService>();

        services.AddOptions<ClaimsOptions>().BindConfiguration(ClaimsOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ClaimsOptions>, ClaimRoutingValidator>();
        services.AddSingleton(sp => ClaimRoutingValidator.BuildTable(sp.GetRequiredService<IOptions<ClaimsOptions>>().Value));
        services.AddSingleton<IJoinServerClients>(sp => new JoinServerClients(
            sp.GetRequiredService<IOptions<ClaimsOptions>>().Value, sp.GetRequiredService<ILogger<JoinServerV2Client>>()));
        services.AddSingleton<IClaimService>(sp => new RoutedClaimService(
            sp.GetRequiredService<LocalClaimService>(),
            sp.GetRequiredService<ClaimRouteTable>(),
            sp.GetRequiredService<IJoinServerClients>(),
            sp.GetRequiredService<ICustodianStore>(),
            sp.GetRequiredService<TimeProvider>()));
        return builder;
    }
}
