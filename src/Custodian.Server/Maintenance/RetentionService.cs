using Custodian.Core.Storage;

namespace Custodian.Server.Maintenance;

/// <summary>Runs the <see cref="RetentionPruner"/> at start and then every <c>Custodian:Retention:CheckEvery</c>.</summary>
internal sealed class RetentionService(RetentionPruner? pruner, TimeProvider time, TimeSpan checkEvery, ILogger<RetentionService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (pruner is not null && !stoppingToken.IsCancellationRequested)
        {
            try
            {
                var result = await pruner.PruneAsync(stoppingToken);
                MaintenanceLog.Pruned(logger, result.Events, result.Sessions);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // A failed pass (the database briefly away) must not stop the service: the next one catches up.
                MaintenanceLog.PruneFailed(logger, exception);
            }
            try
            {
                await Task.Delay(checkEvery, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
