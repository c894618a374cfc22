using Custodian.Core.Storage;
using Custodian.Core.Tenancy;

namespace Custodian.Testing;

/// <summary>Claim throttles and per-key limits, under the store's one lock.</summary>
public sealed partial class InMemoryCustodianStore
{
    private readonly Dictionary<string, ClaimThrottle> _throttles = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ApiKeyLimits> _keyLimits = new(StringComparer.Ordinal);

    public Task<IReadOnlyList<ClaimThrottle>> GetClaimThrottlesAsync(IReadOnlyList<string> keys, DateTimeOffset now, CancellationToken cancellationToken) =>
        Locked<IReadOnlyList<ClaimThrottle>>(() =>
            [.. keys.Distinct().Select(key => _throttles.GetValueOrDefault(key)).OfType<ClaimThrottle>().Where(row => row.ExpiresAt > now)]);

    public Task<ClaimThrottle?> UpdateClaimThrottleAsync(
        string key, DateTimeOffset now, Func<ClaimThrottle?, ClaimThrottle?> update, CancellationToken cancellationToken) => Locked(() =>
    {
        var current = _throttles.GetValueOrDefault(key) is { } row && row.ExpiresAt > now ? row : null;
        var next = update(current);
        if (next is null)
        {
            _throttles.Remove(key);
        }
        else
        {
            _throttles[key] = next;
        }
        return next;
    });

    public Task<int> PruneClaimThrottlesAsync(DateTimeOffset now, CancellationToken cancellationToken) => Locked(() =>
    {
        var expired = _throttles.Values.Where(row => row.ExpiresAt <= now).Select(row => row.Key).ToList();
        expired.ForEach(key => _throttles.Remove(key));
        return expired.Count;
    });

    public Task<ApiKeyLimits> GetApiKeyLimitsAsync(string keyId, CancellationToken cancellationToken) =>
        Locked(() => _keyLimits.GetValueOrDefault(keyId) ?? ApiKeyLimits.Default);

    public Task<bool> SetApiKeyLimitsAsync(string keyId, ApiKeyLimits limits, CancellationToken cancellationToken) => Locked(() =>
    {
        if (!_apiKeys.Exists(k => k.Id == keyId))
        {
            return false;
        }
        if (limits.IsDefault)
        {
            _keyLimits.Remove(keyId);
        }
        else
        {
            _keyLimits[keyId] = limits;
        }
        return true;
    });
}
