using System.Collections.Concurrent;
using Custodian.Server.Configuration;
using Microsoft.Extensions.Options;

namespace Custodian.Server.Claims;

/// <summary>
/// Wrong claim codes per API key, over all devices: a bucket of <c>WrongCodesPerApiKey</c> refilled evenly over
/// <c>WrongCodePeriod</c>. Each <c>claim_refused</c> outcome spends one (a batch of guesses spends them all, down to
/// one budget below zero); while nothing is left the key's claim calls are refused. The per-device lock-out
/// stops guessing one device; this stops spraying guesses over many.
/// </summary>
public sealed class WrongCodeBudget(IOptions<CustodianOptions> options, TimeProvider time)
{
    private readonly ClaimRateLimitOptions _limits = options.Value.Claims.RateLimit;
    private readonly ConcurrentDictionary<string, Account> _accounts = new(StringComparer.Ordinal);

    private double PerSecond => _limits.WrongCodesPerApiKey / _limits.WrongCodePeriod.TotalSeconds;

    /// <summary>How long the key must wait before its next claim call; null when it may claim now.</summary>
    public TimeSpan? RetryAfter(string keyId)
    {
        if (!_limits.Enabled || !_accounts.TryGetValue(keyId, out var account))
        {
            return null;
        }
        lock (account)
        {
            var balance = Refill(account);
            // A claim call may go on while at least one whole wrong code is left to spend.
            return balance >= 1 ? null : TimeSpan.FromSeconds((1 - balance) / PerSecond);
        }
    }

    /// <summary>Spends <paramref name="wrongCodes"/> of the key's budget.</summary>
    public void Spend(string keyId, int wrongCodes)
    {
        if (!_limits.Enabled || wrongCodes <= 0)
        {
            return;
        }
        var account = _accounts.GetOrAdd(keyId, _ => new Account { Balance = _limits.WrongCodesPerApiKey, At = time.GetUtcNow() });
        lock (account)
        {
            account.Balance = Math.Max(Refill(account) - wrongCodes, -_limits.WrongCodesPerApiKey);
        }
    }

    private double Refill(Account account)
    {
        var now = time.GetUtcNow();
        var elapsed = Math.Max(0, (now - account.At).TotalSeconds);
        account.Balance = Math.Min(_limits.WrongCodesPerApiKey, account.Balance + (elapsed * PerSecond));
        account.At = now;
        return account.Balance;
    }

    private sealed class Account
    {
        public double Balance { get; set; }

        public DateTimeOffset At { get; set; }
    }
}
