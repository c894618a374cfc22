using System.Globalization;
using Custodian.Core.Custody;
using Custodian.Core.Devices;
using Microsoft.AspNetCore.Mvc;

namespace Custodian.Server.Api;

/// <summary>
/// A device as the REST API shows it. Keys appear only in the provisioning answer, and only the ones
/// Custodian generated; <c>claimCode</c>/<c>qr</c> only to the maker while no other tenant owns the device.
/// </summary>
public record DeviceResponse
{
    public string? DevEui { get; init; }

    public string? JoinEui { get; init; }

    public string? MacVersion { get; init; }

    public string? State { get; init; }

    public string? ClaimCode { get; init; }

    public string? Qr { get; init; }

    public string? AppKey { get; init; }

    public string? NwkKey { get; init; }

    public DateTimeOffset? ClaimValidFrom { get; init; }

    public DateTimeOffset? ClaimValidUntil { get; init; }

    public string? VendorId { get; init; }

    public string? VendorProfileId { get; init; }

    public string? SerialNumber { get; init; }

    public string? MakerTenantId { get; init; }

    public string? OwnerTenantId { get; init; }

    public string? HomeNetId { get; init; }

    public string? HomeNsId { get; init; }

    public string? AsId { get; init; }

    public DateTimeOffset? ClaimedAt { get; init; }

    public DateTimeOffset? CreatedAt { get; init; }

    public DateTimeOffset? LastJoinAt { get; init; }

    // Records print their members, and these may hold a claim code or keys.
    public sealed override string ToString() => $"{GetType().Name} {{ DevEui = {DevEui} }}";

    public static string StateName(DeviceState state) => state == DeviceState.Claimed ? "claimed" : "unclaimed";

    /// <summary>The answer to the maker who just provisioned the device.</summary>
    public static DeviceResponse Provisioned(ProvisionedDevice provisioned) =>
        View(provisioned.Device, provisioned.Device.MakerTenantId, provisioned.ClaimCode, provisioned.Qr) with
        {
            AppKey = provisioned.GeneratedAppKey?.ExportSecretHex(),
            NwkKey = provisioned.GeneratedNwkKey?.ExportSecretHex(),
        };

    /// <summary>What <paramref name="viewerTenantId"/> (the maker or the owner) may see; never keys.</summary>
    public static DeviceResponse ForViewer(Device device, string viewerTenantId, KeyRing keyRing)
    {
        // Only the maker, only while no other tenant owns the device, and only its own code: a code another
        // tenant issued (rotated on unclaiming, for the next owner) was shown once, to that tenant.
        var makerMayReadCode = device.MakerTenantId == viewerTenantId
            && (device.Owner is null || device.Owner.TenantId == viewerTenantId)
            && device.MakerIssuedClaimCode;
        if (!makerMayReadCode)
        {
            return View(device, viewerTenantId, null, null);
        }
        var code = keyRing.OpenClaimCode(device.ClaimCode, device.DevEui);
        return View(device, viewerTenantId, code, DeviceProvisioning.QrText(device, code));
    }

    private static DeviceResponse View(Device device, string viewerTenantId, ClaimCode? code, string? qr)
    {
        var owner = device.Owner?.TenantId == viewerTenantId ? device.Owner : null;
        var isMaker = device.MakerTenantId == viewerTenantId;
        return new DeviceResponse
        {
            DevEui = device.DevEui.ToString(),
            JoinEui = device.JoinEui.ToString(),
            MacVersion = device.MacVersion.ToString(),
            State = StateName(device.State),
            ClaimCode = code?.ExportSecret(),
            Qr = qr,
            ClaimValidFrom = isMaker ? device.ClaimValidFrom : null,
            ClaimValidUntil = isMaker ? device.ClaimValidUntil : null,
            VendorId = device.VendorId?.ToString("X4", CultureInfo.InvariantCulture),
            VendorProfileId = device.VendorProfileId?.ToString("X4", CultureInfo.InvariantCulture),
            SerialNumber = device.SerialNumber,
            MakerTenantId = device.MakerTenantId,
            OwnerTenantId = owner?.TenantId,
            HomeNetId = owner?.HomeNetId.ToString(),
            HomeNsId = owner?.HomeNsId,
            AsId = owner?.AsId,
            ClaimedAt = owner?.ClaimedAt,
            CreatedAt = device.CreatedAt,
            LastJoinAt = owner is null ? null : device.LastJoinAt,
        };
    }
}

/// <summary>One item of a provisioning batch's answer: its place, its outcome, and the single call's fields when created.</summary>
public sealed record BatchItemResponse : DeviceResponse
{
    public BatchItemResponse()
    {
    }

    public BatchItemResponse(DeviceResponse device)
        : base(device)
    {
    }

    public int Index { get; init; }

    public string? Status { get; init; }

    public ProblemDetails? Error { get; init; }
}
