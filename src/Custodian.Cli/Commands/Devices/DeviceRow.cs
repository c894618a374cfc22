using System.Text.Json;

namespace Custodian.Cli.Commands.Devices;

/// <summary>
/// One device to provision, as a file row or a generated range gives it. Text as written: the server checks each
/// field and says which is wrong. <see cref="Problem"/> is set when the row cannot be sent at all (no readable
/// DevEUI), so it fails with its line without a request.
/// </summary>
internal sealed record DeviceRow(
    int Line,
    string DevEui,
    string? JoinEui,
    string? MacVersion,
    string? AppKey = null,
    string? NwkKey = null,
    string? ClaimCode = null,
    string? VendorId = null,
    string? VendorProfileId = null,
    string? SerialNumber = null,
    string? Problem = null)
{
    /// <summary>True when this tool made the root keys: they then go into the manifest, the maker's only copy.</summary>
    public bool KeysMadeHere { get; init; }

    public bool IsSendable => Problem is null;

    /// <summary>The item of <c>POST /api/v1/devices/batch</c>; absent fields are left out, so the server generates them.</summary>
    public void WriteRequest(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        WriteIfGiven(json, "devEui", DevEui);
        WriteIfGiven(json, "joinEui", JoinEui);
        WriteIfGiven(json, "macVersion", MacVersion);
        WriteIfGiven(json, "appKey", AppKey);
        WriteIfGiven(json, "nwkKey", NwkKey);
        WriteIfGiven(json, "claimCode", ClaimCode);
        WriteIfGiven(json, "vendorId", VendorId);
        WriteIfGiven(json, "vendorProfileId", VendorProfileId);
        WriteIfGiven(json, "serialNumber", SerialNumber);
        json.WriteEndObject();
    }

    private static void WriteIfGiven(Utf8JsonWriter json, string name, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            json.WriteString(name, value.Trim());
        }
    }

    // Records print their members, and these hold root keys and claim codes.
    public override string ToString() => $"DeviceRow {{ Line = {Line}, DevEui = {DevEui} }}";
}
