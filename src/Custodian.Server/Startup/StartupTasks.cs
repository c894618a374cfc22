using Custodian.Core.Custody;
using Custodian.Core.Storage;
using Custodian.Server.Logging;
using Custodian.Server.Observability;

namespace Custodian.Server.Startup;

/// <summary>
/// What must be done before the first request, in order: load (or generate) the KEKs, migrate the store,
/// register the metrics. Runs in <see cref="IHostedLifecycleService.StartingAsync"/>, after the options are
/// validated and before Kestrel listens; a failure stops the start. The admin key is bootstrapped in
/// <see cref="StartedAsync"/>, once Kestrel has bound its addresses: a process that cannot start (a busy port, a bad
/// TLS certificate) stores no credential.
/// </summary>
internal sealed class StartupTasks(IServiceProvider services, ILogger<StartupTasks> logger) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        _ = services.GetRequiredService<KeyRing>();
        var store = services.GetRequiredService<ICustodianStore>();
        await store.MigrateAsync(cancellationToken);
        ServerLog.Migrated(logger);
        if (store is IStoreMaintenance maintenance)
        {
            // The KEKs must match the database's check values before anything opens a secret (see KekChecks).
            await KekChecks.VerifyAsync(services.GetRequiredService<KeyRing>(), maintenance, cancellationToken);
        }
        _ = services.GetRequiredService<DeviceGauge>();
    }

    public Task StartedAsync(CancellationToken cancellationToken) => services.GetRequiredService<AdminBootstrap>().RunAsync(cancellationToken);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
