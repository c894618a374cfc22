using System.Collections.Concurrent;
using Custodian.Core.Devices;

namespace Custodian.Core.Joins;

/// <summary>
/// The devices this instance last joined, as its own commits left them, so that a device's next join
/// skips the read. Never trusted on its own: an accepted join still commits only if the device is at
/// the cached version (any other write, here or on another instance, bumps it: a Conflict, then a fresh
/// read), and a join the cached copy would refuse is checked again against a fresh read.
/// </summary>
public sealed class DeviceCache(int capacity)
{
    private readonly ConcurrentDictionary<DevEui, Device> _devices = new();

    // ConcurrentDictionary.Count takes every lock of the dictionary; an approximate count of our own does not.
    private int _count;

    public bool TryGet(DevEui devEui, out Device device)
    {
        device = null!;
        return capacity > 0 && _devices.TryGetValue(devEui, out device!);
    }

    /// <summary>Remembers <paramref name="device"/> as committed: every engine's commit raises the version by one.</summary>
    public void Committed(Device device, long expectedVersion)
    {
        if (capacity <= 0)
        {
            return;
        }
        var cached = device with { Version = expectedVersion + 1 };
        if (_devices.TryGetValue(device.DevEui, out var previous) && _devices.TryUpdate(device.DevEui, cached, previous))
        {
            return;
        }
        if (Interlocked.Increment(ref _count) > capacity)
        {
            // Simple and bounded: start again rather than track recency on the hot path.
            _devices.Clear();
            Interlocked.Exchange(ref _count, 0);
        }
        _devices[device.DevEui] = cached;
    }

    public void Forget(DevEui devEui)
    {
        if (_devices.TryRemove(devEui, out _))
        {
            Interlocked.Decrement(ref _count);
        }
    }
}
