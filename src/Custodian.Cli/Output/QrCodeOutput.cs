using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
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

    public static void WriteText(TextWriter output, QrCode code)
    {
        var fields = Fields(code).Where(field => field.Value is not null).ToList();
        var width = fields.Max(field => field.Label.Length) + 1;
        foreach (var (label, _, value) in fields)
        {
            // The layout has the field but this code leaves it empty.
            var shown = value!.Length == 0 ? "(none)" : value;
            output.WriteLine($"{(label + ":").PadRight(width)} {shown}");
        }
    }

    public static void WriteJson(TextWriter output, QrCode code)
    {
        using var buffer = new MemoryStream();
        // Relaxed escaping: this goes to a terminal or a pipe, never into HTML, and '+' or
        // non-ASCII in a serial should stay readable.
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            // Scripts test for a field's presence: one the code leaves empty is as absent as one its layout lacks.
            foreach (var (_, name, value) in Fields(code).Where(field => !string.IsNullOrEmpty(field.Value)))
            {
                json.WriteString(name, value);
            }
            json.WriteEndObject();
        }
        output.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }

    private static string? Hex4(ushort? value) => value?.ToString("X4", CultureInfo.InvariantCulture);
}
