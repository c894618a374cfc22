using Custodian.Core.Claims.Policy;

namespace Custodian.Server.Claims;

/// <summary>
/// Deletes expired claim throttles (lock-outs long over, budgets long full) every <see cref="Every"/>, so that the
/// table stays as small as the claims of the last day make it. Each instance prunes; deleting twice is harmless.
/// </summary>
public sealed partial class ClaimThrottlePruner(ClaimPolicy policy, ILogger<ClaimThrottlePruner> logger) : BackgroundService
{
    public static readonly TimeSpan Every = TimeSpan.FromMinutes(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Every);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                if (await policy.PruneAsync(stoppingToken) is > 0 and var pruned)
                {
                    Pruned(logger, pruned);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The next round tries again; expired rows already count as absent.
                PruneFailed(logger, e.GetType().Name);
            }
        }
    }

    [LoggerMessage(1135, LogLevel.Debug, "Pruned {Count} expired claim throttles")]
    private static partial void Pruned(ILogger logger, int count);

    [LoggerMessage(1136, LogLevel.Warning, "Pruning expired claim throttles failed ({ExceptionType}); retrying next round")]
    private static partial void PruneFailed(ILogger logger, string exceptionType);
}
