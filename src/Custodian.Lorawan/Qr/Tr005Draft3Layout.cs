using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Custodian.Lorawan.Qr;

/// <summary>
/// TR005 draft 3 (deprecated, still read): <c>URN:DEV:LW:JoinEUI_DevEUI_ProfileID[_Vcode][_Sserial][_Pproprietary]</c>.
/// Fields are numbered across both separators: URN, DEV, LW are 1 to 3, the JoinEUI is 4.
/// </summary>
internal sealed class Tr005Draft3Layout : QrLayout
{
    public static readonly Tr005Draft3Layout Instance = new();

    private const string Prefix = "URN:DEV:LW:";
    private const int PrefixFields = 3;
    private const int DeviceFields = 3;
    private const string AllowedDescription = "draft 3 allows only 0-9 A-Z";

    private Tr005Draft3Layout()
    {
    }

    public override QrFormat Format => QrFormat.Tr005Draft3;

    public override bool Claims(string text) => text.StartsWith("URN:DEV:", StringComparison.Ordinal);

    public override bool TryParse(string text, [NotNullWhen(true)] out QrCode? code, [NotNullWhen(false)] out string? error)
    {
        code = null;
        if (!text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            error = $"TR005 draft 3 starts with '{Prefix}', not {QrField.Quote(text[..Math.Min(text.Length, Prefix.Length)])}";
            return false;
        }
        var fields = text[Prefix.Length..].Split('_');
        if (fields.Length < DeviceFields)
        {
            error = $"TR005 draft 3 needs at least {DeviceFields} '_'-separated fields after '{Prefix}' (JoinEUI_DevEUI_ProfileID), found {fields.Length}";
            return false;
        }
        if (!QrField.TryReadDevice(Format, fields.AsSpan(0, DeviceFields), firstField: PrefixFields + 1, out var device, out error)
            || !QrExtensions.TryRead(Numbered(fields), 'V', IsAllowed, AllowedDescription, out var extensions, out error))
        {
            return false;
        }
        code = extensions.ApplyTo(device);
        return true;
    }

    public override string Encode(QrCode code)
    {
        var text = new StringBuilder($"{Prefix}{code.JoinEui}_{code.DevEui}_{QrField.FormatProfileId(code)}");
        QrExtensions.AppendInOrder(text, '_', ('V', code.OwnerToken), ('S', code.Serial), ('P', code.Proprietary));
        return text.ToString();
    }

    private static bool IsAllowed(char c) => c is (>= '0' and <= '9') or (>= 'A' and <= 'Z');

    private static IEnumerable<(string, int)> Numbered(string[] fields) =>
        fields.Skip(DeviceFields).Select((field, i) => (field, PrefixFields + DeviceFields + i + 1));
}
