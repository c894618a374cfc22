namespace Custodian.Core.Claims;

/// <summary>
/// How wrong claim codes lock a claimant out of one device (<see cref="Policy.ClaimPolicy"/>): the first
/// <see cref="FreeFailures"/> cost nothing, each further one locks that claimant (not the device for everyone) for
/// <see cref="FirstLock"/>, doubling, up to <see cref="LongestLock"/>. A successful claim forgets the failures, and
/// so does a quiet <see cref="LongestLock"/> after the last lock ends. Every claimant together alerts the device's
/// holder each <see cref="DeviceAlertEvery"/> wrong codes.
/// </summary>
public sealed record ClaimLockout
{
    public int FreeFailures { get; init; } = 5;

    public TimeSpan FirstLock { get; init; } = TimeSpan.FromMinutes(1);

    public TimeSpan LongestLock { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Wrong codes for one device, all claimants together, at which (and at each multiple of which) its holder is alerted.</summary>
    public int DeviceAlertEvery { get; init; } = 100;

    /// <summary>When a device with <paramref name="failures"/> wrong codes (this one included) is free again; null if it is not locked.</summary>
    public DateTimeOffset? LockedUntil(int failures, DateTimeOffset now)
    {
        var over = failures - FreeFailures;
        if (over <= 0)
        {
            return null;
        }
        var ticks = over >= 40 ? LongestLock.Ticks : Math.Min(LongestLock.Ticks, FirstLock.Ticks << Math.Min(over - 1, 39));
        return now + TimeSpan.FromTicks(Math.Max(ticks, FirstLock.Ticks));
    }
}
