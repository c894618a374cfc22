using Custodian.Core.Custody;
using Custodian.Core.Storage;
using Custodian.Server.Configuration;
using Microsoft.Extensions.Options;

namespace Custodian.Server.Maintenance;

/// <summary>Retention, KEK rewrap and backups: their services (the store is also its <see cref="IStoreMaintenance"/>).</summary>
internal static class MaintenanceSetup
{
    public static IServiceCollection AddMaintenance(this IServiceCollection services)
    {
        services.AddSingleton<IValidateOptions<CustodianOptions>, RetentionOptionsValidator>();
        services.AddSingleton(sp => sp.GetRequiredService<ICustodianStore>() as IStoreMaintenance
            ?? throw new InvalidOperationException("This store cannot be maintained (no IStoreMaintenance)."));
        services.AddSingleton(sp => new RetentionPruner(
            sp.GetRequiredService<IStoreMaintenance>(),
            sp.GetRequiredService<TimeProvider>(),
            new RetentionPolicy(sp.GetRequiredService<IOptions<CustodianOptions>>().Value.Retention.Events)));
        services.AddSingleton(sp => new SecretRewrapper(sp.GetRequiredService<KeyRing>(), sp.GetRequiredService<IStoreMaintenance>()));
        // A store without maintenance (a test's in-memory store) gets no pruning rather than a failed start.
        services.AddHostedService(sp => new RetentionService(
            sp.GetRequiredService<ICustodianStore>() is IStoreMaintenance ? sp.GetRequiredService<RetentionPruner>() : null,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<CustodianOptions>>().Value.Retention.CheckEvery,
            sp.GetRequiredService<ILogger<RetentionService>>()));
        return services;
    }
}
