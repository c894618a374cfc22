using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Custodian.Lorawan.Qr;

/// <summary>
/// TR005 final: <c>LW:D0:JoinEUI:DevEUI:ProfileID[:Cchecksum][:Otoken][:Sserial][:Pproprietary]</c>.
/// </summary>
/// <remarks>
/// The checksum is stored and written back verbatim, never computed or verified. The TR005 body
/// was not available to us: our reference (lorawan-standards.md §5.1) only infers CRC-16/MODBUS
/// from one public example and asks for confirmation against the PDF, and The Things Stack, whose
/// codes we must read and produce alike, neither computes nor checks it. So new codes carry no C
/// extension. Note that the canonical order (C first, as TTS writes it) differs from that example,
/// which puts C last; a CRC over the preceding text would not survive re-ordering anyway.
/// </remarks>
internal sealed class Tr005Layout : QrLayout
{
    public static readonly Tr005Layout Instance = new();

    private const int HeaderFields = 5;

    private Tr005Layout()
    {
    }

    public override QrFormat Format => QrFormat.Tr005;

    public override bool Claims(string text) => text.StartsWith("LW:", StringComparison.Ordinal);

    public override bool TryParse(string text, [NotNullWhen(true)] out QrCode? code, [NotNullWhen(false)] out string? error)
    {
        code = null;
        var fields = text.Split(':');
        if (fields.Length < HeaderFields)
        {
            error = $"TR005 needs at least {HeaderFields} ':'-separated fields (LW:D0:JoinEUI:DevEUI:ProfileID), found {fields.Length}";
            return false;
        }
        if (fields[1] != "D0")
        {
            error = $"SchemaID {QrField.Quote(fields[1])} in field 2 is not 'D0'";
            return false;
        }
        if (!QrField.TryReadDevice(Format, fields.AsSpan(2, 3), firstField: 3, out var device, out error)
            || !QrExtensions.TryRead(Numbered(fields), 'O', IsAllowed, AllowedDescription, out var extensions, out error))
        {
            return false;
        }
        code = extensions.ApplyTo(device);
        return true;
    }

    public override string Encode(QrCode code)
    {
        var text = new StringBuilder($"LW:D0:{code.JoinEui}:{code.DevEui}:{QrField.FormatProfileId(code)}");
        QrExtensions.AppendInOrder(text, ':', ('C', code.Checksum), ('O', code.OwnerToken), ('S', code.Serial), ('P', code.Proprietary));
        return text.ToString();
    }

    public static QrCode Create(JoinEui joinEui, DevEui devEui, ushort vendorId, ushort vendorProfileId) =>
        QrExtensions.Empty('O').ApplyTo(new QrCode(QrFormat.Tr005, devEui)
        {
            JoinEui = joinEui,
            VendorId = vendorId,
            VendorProfileId = vendorProfileId,
        });

    /// <summary>Checks the values of a code built in code rather than parsed; null when all can be written.</summary>
    public static string? CheckValues(QrCode code)
    {
        (char Tag, string? Value)[] values = [('C', code.Checksum), ('O', code.OwnerToken), ('S', code.Serial), ('P', code.Proprietary)];
        foreach (var (tag, value) in values)
        {
            var error = QrField.CheckExtensionValue(value ?? "", QrExtensions.Describe(tag), IsAllowed, AllowedDescription);
            if (error is not null)
            {
                return error;
            }
        }
        return null;
    }

    private const string AllowedDescription = "TR005 values may hold any character but ':' and control characters";

    // Only ':' (the separator) is forbidden by TR005 as TTS reads it; control characters never
    // reach here when parsing, but a value built in code could carry one.
    private static bool IsAllowed(char c) => c != ':' && !char.IsControl(c);

    private static IEnumerable<(string, int)> Numbered(string[] fields) =>
        fields.Skip(HeaderFields).Select((field, i) => (field, HeaderFields + i + 1));
}
