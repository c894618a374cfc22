using Custodian.Core.Caching;
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
    private readonly BoundedCache<DevEui, Device> _devices = new(capacity);

    public bool TryGet(DevEui devEui, out Device device) => _devices.TryGet(devEui, out device);

    /// <summary>Remembers <paramref name="device"/> as committed: every engine's commit raises the version by one.</summary>
    public void Committed(Device device, long expectedVersion) =>
        _devices.Set(device.DevEui, device with { Version = expectedVersion + 1 });

    public void Forget(DevEui devEui) => _devices.Remove(devEui);
}
