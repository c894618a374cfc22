using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Custodian.DeviceRepository;
using Custodian.Lorawan.Qr;

namespace Custodian.Cli.Output;

/// <summary>Prints a parsed QR code for people (aligned lines) or programs (one JSON object).</summary>
internal static class QrCodeOutput
{
    /// <summary>Fields in display order; a null value means the layout has no such field and it is left out.</summary>
    private static IEnumerable<(string Label, string JsonName, string? Value)> Fields(QrCode code) =>
    [
        ("Format", "format", code.Format.ToFormatId()),
        ("JoinEUI", "joinEui", code.JoinEui?.ToString()),
        ("DevEUI", "devEui", code.DevEui.ToString()),
        ("VendorID", "vendorId", Hex4(code.VendorId)),
        ("VendorProfileID", "vendorProfileId", Hex4(code.VendorProfileId)),
        ("Owner token", "ownerToken", code.OwnerToken),
        ("Serial", "serial", code.Serial),
        ("Proprietary", "proprietary", code.Proprietary),
        ("Checksum (unverified)", "checksum", code.Checksum),
    ];

    /// <summary>What the Device Repository says of the device, after the code's own fields.</summary>
    private static IEnumerable<(string Label, string JsonName, string? Value)> Fields(DeviceModel? device) => device is null ? [] :
    [
        ("Vendor", "vendor", device.VendorName),
        ("Model", "model", device.Model),
        ("Description", "description", device.Description),
        ("Firmware", "firmwareVersion", device.FirmwareVersion),
        ("Hardware", "hardwareVersion", device.HardwareVersion),
        ("Region", "region", device.Region),
        ("Photo", "photo", device.PhotoPath),
    ];

    /// <summary>Aligned lines; <paramref name="text"/>, when given, comes first as the text the code was read from (<c>qr decode</c>).</summary>
    public static void WriteText(TextWriter output, QrCode code, string? text = null, DeviceModel? device = null)
    {
        var fields = WithText(Fields(code).Concat(Fields(device)), text).Where(field => field.Value is not null).ToList();
        var width = fields.Max(field => field.Label.Length) + 1;
        foreach (var (label, _, value) in fields)
        {
            // The layout has the field but this code leaves it empty.
            var shown = value!.Length == 0 ? "(none)" : value;
            output.WriteLine($"{(label + ":").PadRight(width)} {shown}");
        }
    }

    /// <summary>One JSON object; <paramref name="text"/>, when given, is its first field, <c>text</c>.</summary>
    public static void WriteJson(TextWriter output, QrCode code, string? text = null, DeviceModel? device = null) =>
        // Scripts test for a field's presence: one the code leaves empty is as absent as one its layout lacks.
        WriteJson(output, WithText(Fields(code).Concat(Fields(device)), text).Where(field => !string.IsNullOrEmpty(field.Value)).Select(field => (field.JsonName, field.Value!)));

    /// <summary>The text of a QR code that is not a device code, as a one-field JSON object.</summary>
    public static void WriteJson(TextWriter output, string text) => WriteJson(output, [("text", text)]);

    private static void WriteJson(TextWriter output, IEnumerable<(string Name, string Value)> fields)
    {
        using var buffer = new MemoryStream();
        // Relaxed escaping: this goes to a terminal or a pipe, never into HTML, and '+' or
        // non-ASCII in a serial should stay readable.
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            foreach (var (name, value) in fields)
            {
                json.WriteString(name, value);
            }
            json.WriteEndObject();
        }
        output.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }

    private static IEnumerable<(string Label, string JsonName, string? Value)> WithText(
        IEnumerable<(string Label, string JsonName, string? Value)> fields, string? text) =>
        text is null ? fields : fields.Prepend(("Text", "text", text));

    private static string? Hex4(ushort? value) => value?.ToString("X4", CultureInfo.InvariantCulture);
}
