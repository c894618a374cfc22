using Custodian.Core.Tenancy;

namespace Custodian.Core.Storage;

/// <summary>
/// One claim throttle, kept in the store so that every instance sharing it sees the same throttle and a restart
/// keeps it: a wrong-code budget (<see cref="Count"/> is the balance at <see cref="At"/>) or a lock-out
/// (<see cref="Count"/> wrong codes, the last at <see cref="At"/>, locked until <see cref="LockedUntil"/>).
/// A row past <see cref="ExpiresAt"/> means nothing any more and may be pruned.
/// </summary>
public sealed record ClaimThrottle(string Key, double Count, DateTimeOffset At, DateTimeOffset? LockedUntil, DateTimeOffset ExpiresAt);

/// <summary>The claim throttles (<see cref="ClaimThrottle"/>), and the per-key limit overrides.</summary>
public interface IClaimThrottleRegistry
{
    /// <summary>The rows of these keys that exist and have not expired at <paramref name="now"/>.</summary>
    Task<IReadOnlyList<ClaimThrottle>> GetClaimThrottlesAsync(IReadOnlyList<string> keys, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Atomic read-modify-write of one row: <paramref name="update"/> sees the row (null when absent or expired at
    /// <paramref name="now"/>) and returns the new one, or null to delete it. It may run more than once (on a
    /// conflict between instances) and must be pure. Returns what was stored.
    /// </summary>
    Task<ClaimThrottle?> UpdateClaimThrottleAsync(string key, DateTimeOffset now, Func<ClaimThrottle?, ClaimThrottle?> update, CancellationToken cancellationToken);

    /// <summary>Deletes the rows expired at <paramref name="now"/>; answers how many.</summary>
    Task<int> PruneClaimThrottlesAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The limits an admin set for this API key (<see cref="ApiKeyLimits.Default"/> when none).</summary>
    Task<ApiKeyLimits> GetApiKeyLimitsAsync(string keyId, CancellationToken cancellationToken);

    /// <summary>Sets the key's limits (<see cref="ApiKeyLimits.Default"/> forgets them). False when there is no such key.</summary>
    Task<bool> SetApiKeyLimitsAsync(string keyId, ApiKeyLimits limits, CancellationToken cancellationToken);
}
