namespace Custodian.DeviceRepository;

/// <summary>
/// What the Device Repository says of the end device behind a TR005 VendorID and VendorProfileID: its vendor, model
/// name and description, the firmware, hardware and region the profile is for, and its main photo (a file in the
/// checkout) when it has one.
/// </summary>
public sealed record DeviceModel(
    string VendorId,
    string VendorName,
    string ModelId,
    string Model,
    string? Description,
    string? FirmwareVersion,
    string? HardwareVersion,
    string? Region,
    string? PhotoPath);
