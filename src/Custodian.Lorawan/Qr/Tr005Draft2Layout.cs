using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Custodian.Lorawan.Qr;

/// <summary>
/// TR005 draft 2 (deprecated, still read): <c>URN:LW:DP:JoinEUI:DevEUI:ProfileID[:%Vcode%Sserial%Pproprietary]</c>.
/// The extensions share one 7th field; <c>%25</c> in it stands for <c>%</c>.
/// </summary>
internal sealed class Tr005Draft2Layout : QrLayout
{
    public static readonly Tr005Draft2Layout Instance = new();

    private const int HeaderFields = 6;
    private const int ExtensionField = 7;
    private const string AllowedDescription = "draft 2 allows only 0-9 A-Z $ * + - . /";

    // The QR alphanumeric set without ':', '%' and space, which are separators or get trimmed.
    private static readonly SearchValues<char> Allowed = SearchValues.Create("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ$*+-./");

    private Tr005Draft2Layout()
    {
    }

    public override QrFormat Format => QrFormat.Tr005Draft2;

    public override bool Claims(string text) => text.StartsWith("URN:LW:", StringComparison.Ordinal);

    public override bool TryParse(string text, [NotNullWhen(true)] out QrCode? code, [NotNullWhen(false)] out string? error)
    {
        code = null;
        // At most 7 fields: any ':' after the 6th belongs to the extensions (and is then refused there).
        var fields = text.Split(':', ExtensionField);
        if (fields.Length < HeaderFields)
        {
            error = $"TR005 draft 2 needs at least {HeaderFields} ':'-separated fields (URN:LW:DP:JoinEUI:DevEUI:ProfileID), found {fields.Length}";
            return false;
        }
        if (fields[2] != "DP")
        {
            error = $"{QrField.Quote(fields[2])} in field 3 is not 'DP'";
            return false;
        }
        if (!QrField.TryReadDevice(Format, fields.AsSpan(3, 3), firstField: 4, out var device, out error)
            || !QrExtensions.TryRead(Elements(fields), 'V', Allowed.Contains, AllowedDescription, out var extensions, out error))
        {
            return false;
        }
        code = extensions.ApplyTo(device);
        return true;
    }

    public override string Encode(QrCode code)
    {
        var extensions = new StringBuilder();
        QrExtensions.AppendInOrder(extensions, '%', ('V', code.OwnerToken), ('S', code.Serial), ('P', code.Proprietary));
        var text = $"URN:LW:DP:{code.JoinEui}:{code.DevEui}:{QrField.FormatProfileId(code)}";
        return extensions.Length == 0 ? text : $"{text}:{extensions}";
    }

    private static IEnumerable<(string, int)> Elements(string[] fields) =>
        fields.Length <= HeaderFields
            ? []
            : fields[HeaderFields].Replace("%25", "%", StringComparison.Ordinal).Split('%').Select(element => (element, ExtensionField));
}
