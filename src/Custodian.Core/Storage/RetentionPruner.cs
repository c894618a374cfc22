namespace Custodian.Core.Storage;

/// <summary>How long pruned data lives: audit events for <see cref="Events"/>; sessions until they expire.</summary>
public sealed record RetentionPolicy(TimeSpan Events);

/// <summary>
/// Deletes audit events older than the retention and sessions past their expiry, in batches (each its own short
/// transaction). Never touched: devices (with their JoinNonce counter and last DevNonce), the used DevNonces that
/// refuse replayed JoinRequests, tenants, keys, peers, KEK check values.
/// </summary>
public sealed class RetentionPruner(IStoreMaintenance store, TimeProvider time, RetentionPolicy policy)
{
    public const int BatchSize = 1000;

    public async Task<PruneResult> PruneAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var events = await DrainAsync((limit, ct) => store.DeleteEventsBeforeAsync(now - policy.Events, limit, ct), cancellationToken).ConfigureAwait(false);
        var sessions = await DrainAsync((limit, ct) => store.DeleteSessionsExpiredBeforeAsync(now, limit, ct), cancellationToken).ConfigureAwait(false);
        return new PruneResult(events, sessions);
    }

    /// <summary>Batches until one comes back short: the rest is newer (a later pass takes what became old meanwhile).</summary>
    private static async Task<long> DrainAsync(Func<int, CancellationToken, Task<int>> deleteBatch, CancellationToken cancellationToken)
    {
        long total = 0;
        int deleted;
        do
        {
            deleted = await deleteBatch(BatchSize, cancellationToken).ConfigureAwait(false);
            total += deleted;
        }
        while (deleted == BatchSize);
        return total;
    }
}

public sealed record PruneResult(long Events, long Sessions);
