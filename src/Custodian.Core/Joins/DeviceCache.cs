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
        if (_devices.Count >= capacity)
        {
            // Simple and bounded: start again rather than track recency on the hot path.
            _devices.Clear();
        }
        _devices[device.DevEui] = device with { Version = expectedVersion + 1 };
    }

    public void Forget(DevEui devEui) => _devices.TryRemove(devEui, out _);
}
