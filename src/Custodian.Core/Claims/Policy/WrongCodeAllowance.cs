using Custodian.Core.Storage;

namespace Custodian.Core.Claims.Policy;

/// <summary>
/// A budget of wrong claim codes as a token bucket kept in a <see cref="ClaimThrottle"/> row: <see cref="Capacity"/>
/// codes, refilled evenly over <see cref="Period"/>. A call takes what it may spend before anything is decided (at
/// most what is left, so no batch size gets past it), and gives back what it did not spend on wrong codes.
/// </summary>
public sealed record WrongCodeAllowance(int Capacity, TimeSpan Period)
{
    private double PerSecond => Capacity / Period.TotalSeconds;

    /// <summary>The balance of <paramref name="row"/> at <paramref name="now"/> (full when there is no row).</summary>
    public double BalanceAt(ClaimThrottle? row, DateTimeOffset now) =>
        row is null ? Capacity : Math.Min(Capacity, row.Count + (Math.Max(0, (now - row.At).TotalSeconds) * PerSecond));

    /// <summary>Takes up to <paramref name="wanted"/> whole codes; <paramref name="granted"/> says how many.</summary>
    public ClaimThrottle Take(string key, ClaimThrottle? row, int wanted, DateTimeOffset now, out int granted)
    {
        var balance = BalanceAt(row, now);
        granted = (int)Math.Min(wanted, Math.Floor(balance));
        return Row(key, balance - granted, now);
    }

    /// <summary>Gives back <paramref name="count"/> codes taken but not spent.</summary>
    public ClaimThrottle Refund(string key, ClaimThrottle? row, int count, DateTimeOffset now) =>
        Row(key, Math.Min(Capacity, BalanceAt(row, now) + count), now);

    /// <summary>How long until a row at <paramref name="balance"/> holds one whole code again.</summary>
    public TimeSpan RetryAfter(double balance) => TimeSpan.FromSeconds(Math.Max(1 - balance, 0) / PerSecond);

    // A row is full again one period after it was written: then it says nothing an absent row does not.
    private ClaimThrottle Row(string key, double balance, DateTimeOffset now) => new(key, balance, now, null, now + Period);
}
