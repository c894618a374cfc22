namespace Custodian.Core.Devices;

/// <summary>
/// A maker's description of one device as the API receives it. Identifiers and keys stay text here so
/// that <see cref="DeviceProvisioning"/> can say precisely which field is wrong and why.
/// </summary>
public sealed record DeviceProvisionRequest
{
    public string? JoinEui { get; init; }

    public string? DevEui { get; init; }

    public string? MacVersion { get; init; }

    /// <summary>A 1.0.x device's only root key, or a 1.1 device's AppKey; generated when absent.</summary>
    public string? AppKey { get; init; }

    /// <summary>A 1.1 device's NwkKey; generated when absent. A 1.0.x device has none.</summary>
    public string? NwkKey { get; init; }

    public string? ClaimCode { get; init; }

    public DateTimeOffset? ClaimValidFrom { get; init; }

    public DateTimeOffset? ClaimValidUntil { get; init; }

    public string? VendorId { get; init; }

    public string? VendorProfileId { get; init; }

    public string? SerialNumber { get; init; }

    /// <summary>Set to provision a pre-activated device, owned by its maker and homed at this network.</summary>
    public string? HomeNetId { get; init; }

    public string? HomeNsId { get; init; }

    public string? AsId { get; init; }

    // Records print their members; these may hold keys and claim codes.
    public override string ToString() => $"DeviceProvisionRequest {{ DevEui = {DevEui}, JoinEui = {JoinEui} }}";
}
