using Custodian.Core.Errors;
using Custodian.Core.Events;
using Custodian.Core.Storage;

namespace Custodian.Core.Devices;

/// <summary>
/// Provisions devices for a maker: each item is checked on its own (one bad item does not sink the others),
/// pre-activated devices must name registered peers, and the good ones are inserted with one
/// <see cref="IDeviceRegistry.CreateDevicesAsync"/> call, then audited.
/// </summary>
public sealed class DeviceProvisioner(ICustodianStore store, DeviceProvisioning provisioning, TimeProvider time)
{
    /// <summary>One result per request, in the same order.</summary>
    public async Task<IReadOnlyList<ProvisionResult>> ProvisionAsync(
        string makerTenantId,
        string actor,
        IReadOnlyList<DeviceProvisionRequest> requests,
        CancellationToken cancellationToken)
    {
        var results = new ProvisionResult[requests.Count];
        var ready = new List<(int Index, ProvisionedDevice Device)>(requests.Count);
        var peers = new HomeNetworkCheck(store);
        var blocks = await store.GetDevEuiBlocksAsync(makerTenantId, cancellationToken);
        for (var i = 0; i < requests.Count; i++)
        {
            if (!provisioning.TryPrepare(makerTenantId, requests[i], out var prepared, out var failure))
            {
                results[i] = ProvisionResult.Failed(requests[i].DevEui, failure);
                continue;
            }
            // Before any look-up: outside its blocks a maker learns nothing of other makers' devices, nor takes their DevEUIs.
            if (!blocks.Contains(prepared.Device.DevEui))
            {
                results[i] = ProvisionResult.Failed(prepared.Device.DevEui.ToString(), OutsideBlocks(prepared.Device.DevEui, makerTenantId));
                continue;
            }
            if (prepared.Home is { } home && await peers.FindMissingAsync(home, cancellationToken) is { } missing)
            {
                results[i] = ProvisionResult.Failed(prepared.Device.DevEui.ToString(), missing);
                continue;
            }
            ready.Add((i, prepared));
        }

        var created = await store.CreateDevicesAsync([.. ready.Select(r => r.Device.Device)], cancellationToken);
        var events = new List<AuditEvent>(ready.Count);
        for (var r = 0; r < ready.Count; r++)
        {
            var (index, device) = ready[r];
            var devEui = device.Device.DevEui;
            results[index] = created[r]
                ? ProvisionResult.Created(device)
                : ProvisionResult.Failed(devEui.ToString(), CustodianErrors.DeviceExists.With($"devEui: device {devEui} is already provisioned."));
            if (created[r])
            {
                events.Add(new AuditEvent(0, time.GetUtcNow(), makerTenantId, AuditEventTypes.DeviceProvisioned, devEui, null, Describe(device), actor));
            }
        }
        await store.AppendEventsAsync(events, cancellationToken);
        return results;
    }

    private static CustodianFailure OutsideBlocks(DevEui devEui, string makerTenantId) =>
        CustodianErrors.DevEuiOutsideBlocks.With(
            $"devEui: {devEui} is outside the DevEUI blocks of tenant '{makerTenantId}'; the operator assigns a maker its blocks.");

    private static string Describe(ProvisionedDevice device) =>
        device.Home is { } home
            ? $"Provisioned pre-activated (LoRaWAN {device.Device.MacVersion}) at network {home.NetId}."
            : $"Provisioned (LoRaWAN {device.Device.MacVersion}).";
}

/// <summary>The outcome of provisioning one device: <see cref="Device"/> when created, else <see cref="Failure"/>.</summary>
public sealed record ProvisionResult(string? DevEui, ProvisionedDevice? Device, CustodianFailure? Failure)
{
    public static ProvisionResult Created(ProvisionedDevice device) => new(device.Device.DevEui.ToString(), device, null);

    public static ProvisionResult Failed(string? devEui, CustodianFailure failure) => new(devEui, null, failure);

    public override string ToString() => $"ProvisionResult {{ DevEui = {DevEui}, Failure = {Failure?.Error.Code} }}";
}
