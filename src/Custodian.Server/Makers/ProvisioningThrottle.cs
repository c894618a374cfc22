using System.Collections.Concurrent;
using Custodian.Core.Errors;
using Custodian.Server.Configuration;
using Microsoft.Extensions.Options;

namespace Custodian.Server.Makers;

/// <summary>
/// Devices provisioned per API key: a bucket of <c>DevicesPerMinute</c> refilled evenly over a minute. A call asking
/// for n devices goes on while the bucket holds n (or, for a call larger than the bucket, while it is full) and spends
/// n; otherwise it is refused with a Retry-After, spending nothing. Per process, like the claim limits.
/// </summary>
public sealed class ProvisioningThrottle(IOptions<CustodianOptions> options, TimeProvider time)
{
    private readonly ProvisioningOptions _limits = options.Value.Provisioning;
    private readonly ConcurrentDictionary<string, Account> _accounts = new(StringComparer.Ordinal);

    private double PerSecond => _limits.DevicesPerMinute / 60.0;

    /// <summary>Spends <paramref name="devices"/> of the key's allowance; the refusal (429 with Retry-After) when there is not enough.</summary>
    public CustodianFailure? TrySpend(string keyId, int devices)
    {
        if (!_limits.RateLimitEnabled || devices <= 0)
        {
            return null;
        }
        var account = _accounts.GetOrAdd(keyId, _ => new Account { Balance = _limits.DevicesPerMinute, At = time.GetUtcNow() });
        lock (account)
        {
            var needed = Math.Min(devices, _limits.DevicesPerMinute);
            var balance = Refill(account);
            if (balance >= needed)
            {
                account.Balance = balance - devices;
                return null;
            }
            var retryAfter = TimeSpan.FromSeconds((needed - balance) / PerSecond);
            return CustodianErrors.RateLimited.With(
                $"This API key may provision {_limits.DevicesPerMinute} devices a minute; retry in {Problems.CustodianProblems.RetryAfterSeconds(retryAfter)} s.") with
            {
                RetryAfter = retryAfter,
            };
        }
    }

    private double Refill(Account account)
    {
        var now = time.GetUtcNow();
        var elapsed = Math.Max(0, (now - account.At).TotalSeconds);
        account.Balance = Math.Min(_limits.DevicesPerMinute, account.Balance + (elapsed * PerSecond));
        account.At = now;
        return account.Balance;
    }

    private sealed class Account
    {
        public double Balance { get; set; }

        public DateTimeOffset At { get; set; }
    }
}
