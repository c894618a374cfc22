using Custodian.Core.Devices;
using Custodian.Server.Configuration;
using Microsoft.Extensions.Options;

namespace Custodian.Server.Makers;

/// <summary>Wires the makers' safeguards: the provisioning rate per key, one claim import at a time per key.</summary>
public static class MakersSetup
{
    public static IServiceCollection AddMakers(this IServiceCollection services)
    {
        services.AddSingleton<IValidateOptions<CustodianOptions>, ProvisioningOptionsValidator>();
        services.AddSingleton<ProvisioningThrottle>();
        services.AddSingleton<ImportGate>();
        services.AddSingleton<ClaimCodeReissuer>();
        return services;
    }
}
