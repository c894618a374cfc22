using Custodian.Core.Claims;

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
        return builder;
    }
}
