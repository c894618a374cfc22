using System.Threading.RateLimiting;
using Custodian.Server.Configuration;
using Microsoft.Extensions.Options;

namespace Custodian.Server.BackendInterfaces;

/// <summary>
/// Counts failed Backend Interfaces authentications per client address in a fixed window
/// (<see cref="BackendInterfacesOptions"/>). Once an address has spent its failures, its requests are
/// answered at once, before the body is read. Memory stays bounded: the partitioned limiter drops an
/// address's counter once its window has refilled and it has been idle a few seconds.
/// </summary>
public sealed class AuthFailureLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string>? _failures;

    public AuthFailureLimiter(IOptions<CustodianOptions> options)
    {
        var settings = options.Value.BackendInterfaces;
        Window = settings.AuthFailureWindow;
        if (settings.AuthFailuresPerAddress > 0)
        {
            _failures = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetFixedWindowLimiter(
                address,
                _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = settings.AuthFailuresPerAddress,
                    Window = settings.AuthFailureWindow,
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }));
        }
    }

    /// <summary>How long a blocked address is told to wait (the window, at most).</summary>
    public TimeSpan Window { get; }

    /// <summary>The address has failed authentication too often in this window.</summary>
    public bool IsBlocked(string address) =>
        _failures is not null && _failures.GetStatistics(address) is { CurrentAvailablePermits: <= 0 };

    /// <summary>Spends one of the address's failures.</summary>
    public void Failed(string address)
    {
        using var lease = _failures?.AttemptAcquire(address);
    }

    public void Dispose() => _failures?.Dispose();
}
