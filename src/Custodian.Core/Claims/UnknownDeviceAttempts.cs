using System.Collections.Concurrent;

namespace Custodian.Core.Claims;

/// <summary>
/// Wrong-code counts for DevEUIs this server does not hold, kept in memory so that claiming an unknown device
/// locks exactly as a known one does: otherwise a 429 would tell a stranger that the device exists.
/// Bounded: when full it starts again, which only makes guessing unknown devices cheaper, never a real one.
/// </summary>
public sealed class UnknownDeviceAttempts(ClaimLockout lockout, int capacity = 100_000)
{
    private readonly ConcurrentDictionary<DevEui, (int Failures, DateTimeOffset? LockedUntil)> _attempts = new();

    public DateTimeOffset? LockedUntil(DevEui devEui, DateTimeOffset now) =>
        _attempts.TryGetValue(devEui, out var entry) && entry.LockedUntil > now ? entry.LockedUntil : null;

    public void Failed(DevEui devEui, DateTimeOffset now)
    {
        if (_attempts.Count >= capacity)
        {
            _attempts.Clear();
        }
        _attempts.AddOrUpdate(
            devEui,
            static (_, state) => (1, state.lockout.LockedUntil(1, state.now)),
            static (_, entry, state) => (entry.Failures + 1, state.lockout.LockedUntil(entry.Failures + 1, state.now)),
            (lockout, now));
    }
}
