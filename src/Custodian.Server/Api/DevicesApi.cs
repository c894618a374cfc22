using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Custodian.Core.Custody;
using Custodian.Core.Devices;
using Custodian.Core.Errors;
using Custodian.Core.Events;
using Custodian.Core.Storage;
using Custodian.Core.Tenancy;
using Custodian.Labels;
using Custodian.Server.Auth;
using Custodian.Server.Logging;
using Custodian.Server.Makers;
using Custodian.Server.Problems;

namespace Custodian.Server.Api;

/// <summary>
/// <c>/api/v1/devices</c>: maker provisioning (one, or a batch with per-item results), the maker's or owner's
/// view of a device, and the owner's DevNonce reset. Another tenant's device is a 404, as if it did not exist.
/// </summary>
internal static class DevicesApi
{
    public const int MaxBatchSize = 10_000;

    public static void MapDevicesApi(this IEndpointRouteBuilder api)
    {
        var devices = api.MapGroup("/devices");
        devices.MapPost("/", ProvisionAsync).RequireRight(ApiRights.DevicesProvision);
        devices.MapPost("/batch", ProvisionBatchAsync).RequireRight(ApiRights.DevicesProvision);
        devices.MapGet("/", ListAsync).RequireRight(ApiRights.DevicesRead);
        devices.MapGet("/{devEui}", GetAsync).RequireRight(ApiRights.DevicesRead);
        // Unclaim's right, not claim's: a reset lets captured JoinRequests be replayed once, so it is for whoever may release the device.
        devices.MapPost("/{devEui}/dev-nonces/reset", ResetDevNoncesAsync).RequireRight(ApiRights.DevicesUnclaim);
        devices.MapGet("/{devEui}/label.svg", SvgLabelAsync).RequireRight(ApiRights.DevicesProvision);
        devices.MapGet("/{devEui}/label.png", PngLabelAsync).RequireRight(ApiRights.DevicesProvision);
        devices.MapPost("/{devEui}/claim-code", ClaimCodeApi.ReissueAsync).RequireRight(ApiRights.DevicesProvision);
    }

    public sealed record BatchRequest(IReadOnlyList<JsonElement>? Devices);

    public sealed record BatchResponse(IReadOnlyList<BatchItemResponse> Results);

    /// <summary><see cref="Next"/> is null on the last page; otherwise pass it as <c>after</c>.</summary>
    public sealed record DeviceListResponse(
        IReadOnlyList<DeviceItem> Devices,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Next);

    /// <summary>
    /// A device in its maker's list: never a key, claim code or QR text. As in <see cref="DeviceResponse.ForViewer"/>,
    /// the owner's fields only when the maker owns the device itself (pre-activated): whoever claimed it is not the maker's to know.
    /// </summary>
    public sealed record DeviceItem(
        string DevEui, string JoinEui, string MacVersion, string State, string? VendorId, string? VendorProfileId, string? SerialNumber,
        string? OwnerTenantId, string? HomeNetId, DateTimeOffset? ClaimedAt, DateTimeOffset CreatedAt, DateTimeOffset? LastJoinAt)
    {
        public static DeviceItem Of(Device device, string viewerTenantId)
        {
            var owner = device.Owner?.TenantId == viewerTenantId ? device.Owner : null;
            return new DeviceItem(
                device.DevEui.ToString(), device.JoinEui.ToString(), device.MacVersion.ToString(), DeviceResponse.StateName(device.State),
                device.VendorId?.ToString("X4", CultureInfo.InvariantCulture), device.VendorProfileId?.ToString("X4", CultureInfo.InvariantCulture),
                device.SerialNumber, owner?.TenantId, owner?.HomeNetId.ToString(), owner?.ClaimedAt, device.CreatedAt,
                owner is null ? null : device.LastJoinAt);
        }
    }

    private static async Task<IResult> ProvisionAsync(
        HttpRequest request, CallerContext caller, JsonBody json, DeviceProvisioner provisioner, ProvisioningThrottle throttle, ILogger<RestApi> logger)
    {
        var (body, failure) = await json.ReadAsync<DeviceProvisionRequest>(request);
        if (body is null)
        {
            return CustodianProblems.Result(failure!);
        }
        if (Throttled(throttle, caller, 1, logger) is { } limited)
        {
            return limited;
        }
        var result = (await provisioner.ProvisionAsync(caller.TenantId, caller.Actor, [body], request.HttpContext.RequestAborted))[0];
        using (LogScopes.Device(logger, result.DevEui, result.Device?.Device.JoinEui.ToString()))
        {
            ServerLog.DevicesProvisioned(logger, caller.TenantId, result.Device is null ? 0 : 1, result.Device is null ? 1 : 0);
        }
        return result.Device is { } device
            ? TypedResults.Created($"/api/v1/devices/{device.Device.DevEui}", DeviceResponse.Provisioned(device))
            : CustodianProblems.Result(result.Failure!);
    }

    private static async Task<IResult> ProvisionBatchAsync(
        HttpRequest request, CallerContext caller, JsonBody json, DeviceProvisioner provisioner, ProvisioningThrottle throttle, ILogger<RestApi> logger)
    {
        var (body, failure) = await json.ReadAsync<BatchRequest>(request);
        if (body is null)
        {
            return CustodianProblems.Result(failure!);
        }
        if (body.Devices is not { Count: > 0 } items)
        {
            return CustodianProblems.Result(CustodianErrors.InvalidField, "devices: required, a non-empty array of devices.");
        }
        if (items.Count > MaxBatchSize)
        {
            return CustodianProblems.Result(CustodianErrors.InvalidField, $"devices: at most {MaxBatchSize} devices per call, got {items.Count}.");
        }
        if (Throttled(throttle, caller, items.Count, logger) is { } limited)
        {
            return limited;
        }

        // Items that are not even device objects fail here; the rest go to the provisioner together.
        var results = new BatchItemResponse?[items.Count];
        var requests = new List<DeviceProvisionRequest>(items.Count);
        var indexes = new List<int>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            if (json.TryConvert<DeviceProvisionRequest>(items[i], $"devices[{i}]", out var item, out var itemFailure))
            {
                requests.Add(item);
                indexes.Add(i);
            }
            else
            {
                results[i] = Failed(i, null, itemFailure);
            }
        }
        var outcomes = await provisioner.ProvisionAsync(caller.TenantId, caller.Actor, requests, request.HttpContext.RequestAborted);
        for (var r = 0; r < outcomes.Count; r++)
        {
            var index = indexes[r];
            results[index] = outcomes[r].Device is { } device
                ? new BatchItemResponse(DeviceResponse.Provisioned(device)) { Index = index, Status = "created" }
                : Failed(index, outcomes[r].DevEui, outcomes[r].Failure!);
        }
        var created = outcomes.Count(o => o.Device is not null);
        ServerLog.DevicesProvisioned(logger, caller.TenantId, created, items.Count - created);
        return TypedResults.Ok(new BatchResponse(results!));
    }

    /// <summary>The caller's devices as their maker, in DevEUI order, a page at a time.</summary>
    private static async Task<IResult> ListAsync(string? after, string? limit, CallerContext caller, ICustodianStore store, CancellationToken cancellationToken)
    {
        if (!Paging.TryReadAfter(after, out var from, out var failure) || !Paging.TryReadLimit(limit, out var pageSize, out failure))
        {
            return CustodianProblems.Result(failure);
        }
        var (page, last) = Paging.Cut(await store.ListMakerDevicesAsync(caller.TenantId, from, pageSize + 1, cancellationToken), pageSize);
        return TypedResults.Ok(new DeviceListResponse([.. page.Select(d => DeviceItem.Of(d, caller.TenantId))], last?.DevEui.ToString()));
    }

    /// <summary>The 429 when the key has provisioned its devices a minute already; null when it may go on.</summary>
    private static IResult? Throttled(ProvisioningThrottle throttle, CallerContext caller, int devices, ILogger logger)
    {
        if (throttle.TrySpend(caller.KeyId, devices) is not { } refused)
        {
            return null;
        }
        MakerLog.ProvisioningRateLimited(logger, caller.KeyId, devices, refused.RetryAfter!.Value);
        return CustodianProblems.Result(refused);
    }

    private static BatchItemResponse Failed(int index, string? devEui, CustodianFailure failure) =>
        new() { Index = index, DevEui = devEui, Status = "failed", Error = CustodianProblems.Details(failure) };

    private static async Task<IResult> GetAsync(string devEui, CallerContext caller, ICustodianStore store, KeyRing keyRing, CancellationToken cancellationToken)
    {
        var (device, failure) = await FindAsync(devEui, caller, store, cancellationToken);
        return device is null
            ? CustodianProblems.Result(failure!)
            : TypedResults.Ok(DeviceResponse.ForViewer(device, caller.TenantId, keyRing));
    }

    private static async Task<IResult> ResetDevNoncesAsync(
        string devEui, CallerContext caller, ICustodianStore store, KeyRing keyRing, TimeProvider time, ILogger<RestApi> logger, CancellationToken cancellationToken)
    {
        var (device, failure) = await FindAsync(devEui, caller, store, cancellationToken);
        if (device is null)
        {
            return CustodianProblems.Result(failure!);
        }
        if (device.Owner?.TenantId != caller.TenantId)
        {
            return CustodianProblems.Result(CustodianErrors.NotDeviceOwner, $"Device {device.DevEui} is not owned by tenant '{caller.TenantId}'; only its owner may reset its DevNonces.");
        }
        var reset = await store.ResetDevNoncesAsync(device.DevEui, cancellationToken);
        if (reset is null)
        {
            return CustodianProblems.Result(CustodianErrors.DeviceNotFound, $"No device {device.DevEui}.");
        }
        await store.AppendEventAsync(
            new AuditEvent(0, time.GetUtcNow(), caller.TenantId, AuditEventTypes.DevNoncesReset, reset.DevEui, null,
                $"DevNonces reset (LoRaWAN {reset.MacVersion}); the device may join again from any DevNonce, so a captured JoinRequest of it is accepted once more.", caller.Actor),
            cancellationToken);
        using (LogScopes.Device(logger, reset.DevEui, reset.JoinEui))
        {
            ServerLog.DevNoncesReset(logger, caller.TenantId);
        }
        return TypedResults.Ok(DeviceResponse.ForViewer(reset, caller.TenantId, keyRing));
    }

    private static async Task<IResult> SvgLabelAsync(string devEui, CallerContext caller, ICustodianStore store, KeyRing keyRing, CancellationToken cancellationToken)
    {
        var (label, failure) = await FindLabelAsync(devEui, caller, store, keyRing, cancellationToken);
        return label is null
            ? CustodianProblems.Result(failure!)
            : TypedResults.Text(DeviceLabel.Svg(label), "image/svg+xml");
    }

    private static async Task<IResult> PngLabelAsync(string devEui, CallerContext caller, ICustodianStore store, KeyRing keyRing, CancellationToken cancellationToken)
    {
        var (label, failure) = await FindLabelAsync(devEui, caller, store, keyRing, cancellationToken);
        return label is null ? CustodianProblems.Result(failure!) : TypedResults.File(DeviceLabel.Png(label), "image/png");
    }

    /// <summary>
    /// A label only while the maker holds the device (unclaimed, or pre-activated at the maker's own network) with
    /// the code it issued: once another tenant owns it, or has rotated its code on unclaiming (the new code shown
    /// once, to that tenant), its claim code is no longer the maker's to print.
    /// </summary>
    private static async Task<(LabelContent? Label, CustodianFailure? Failure)> FindLabelAsync(
        string devEui, CallerContext caller, ICustodianStore store, KeyRing keyRing, CancellationToken cancellationToken)
    {
        var (device, failure) = await FindAsync(devEui, caller, store, cancellationToken);
        if (device is null)
        {
            return (null, failure);
        }
        if (device.MakerTenantId != caller.TenantId || device.Owner is { } owner && owner.TenantId != caller.TenantId || !device.MakerIssuedClaimCode)
        {
            return (null, CustodianErrors.DeviceNotFound.With(
                $"No label for device {device.DevEui}: only its maker prints one, while no other tenant owns it and the claim code is its own."));
        }
        var code = keyRing.OpenClaimCode(device.ClaimCode, device.DevEui);
        return (new LabelContent(DeviceProvisioning.QrText(device, code), device.DevEui.ToString(), code.ExportSecret()), null);
    }

    /// <summary>The device when the caller made or owns it; otherwise the same 404 as for no device at all.</summary>
    private static async Task<(Device? Device, CustodianFailure? Failure)> FindAsync(
        string devEuiText, CallerContext caller, ICustodianStore store, CancellationToken cancellationToken)
    {
        if (!DevEui.TryParse(devEuiText, out var devEui, out var error))
        {
            return (null, CustodianErrors.InvalidField.With("devEui: " + error));
        }
        var device = await store.GetDeviceAsync(devEui, cancellationToken);
        return device is not null && (device.MakerTenantId == caller.TenantId || device.Owner?.TenantId == caller.TenantId)
            ? (device, null)
            : (null, CustodianErrors.DeviceNotFound.With($"No device {devEui} is visible to tenant '{caller.TenantId}'."));
    }
}
