using Custodian.Core.Claims;
using Custodian.Server.Configuration;
using Microsoft.Extensions.Options;

namespace Custodian.Server.Claims;

/// <summary>Wires claiming into the host: the local claim service and its lock-out policy.</summary>
public static class ClaimingSetup
{
    public const string LockoutSection = "Custodian:Claims:Lockout";

    public static WebApplicationBuilder AddClaiming(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton(builder.Configuration.GetSection(LockoutSection).Get<ClaimLockout>() ?? new ClaimLockout());
        services.AddSingleton<UnknownDeviceAttempts>(sp => new UnknownDeviceAttempts(sp.GetRequiredService<ClaimLockout>()));
        services.AddSingleton<LocalClaimService>();
        services.AddSingleton<IClaimService>(sp => sp.GetRequiredService<LocalClaimService>());
        // Throttling and recording of the claim APIs: rate limits, wrong-code budget, metrics and logs.
        services.AddSingleton<IValidateOptions<CustodianOptions>, ClaimsOptionsValidator>();
        services.AddSingleton<WrongCodeBudget>();
        services.AddSingleton<ClaimObservations>();
        services.AddClaimRateLimits();
        return builder;
    }
}
