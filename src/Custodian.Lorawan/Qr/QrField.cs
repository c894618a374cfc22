using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Custodian.Lorawan.Qr;

/// <summary>
/// Reads and checks the fields shared by the QR layouts. Errors name the field by its
/// 1-based position among the separated fields of the text, so a user can find it.
/// </summary>
internal static class QrField
{
    private const int EuiDigits = 16;
    private const int ProfileIdDigits = 8;
    private const int QuotedLength = 24;

    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789ABCDEFabcdef");

    public static bool TryReadEui(string value, string name, int field, out ulong eui, [NotNullWhen(false)] out string? error)
    {
        eui = 0;
        error = CheckHex(value, name, field, EuiDigits);
        if (error is null)
        {
            eui = ulong.Parse(value, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
        }
        return error is null;
    }

    /// <summary>ProfileID is VendorID then VendorProfileID, each 4 hex digits read as a big-endian uint16.</summary>
    public static bool TryReadProfileId(string value, int field, out ushort vendorId, out ushort vendorProfileId, [NotNullWhen(false)] out string? error)
    {
        vendorId = vendorProfileId = 0;
        error = CheckHex(value, "ProfileID", field, ProfileIdDigits);
        if (error is null)
        {
            vendorId = ushort.Parse(value.AsSpan(0, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
            vendorProfileId = ushort.Parse(value.AsSpan(4, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
        }
        return error is null;
    }

    /// <summary>Reads the JoinEUI, DevEUI and ProfileID that every TR005 layout carries in three consecutive fields.</summary>
    public static bool TryReadDevice(
        QrFormat format,
        ReadOnlySpan<string> fields,
        int firstField,
        [NotNullWhen(true)] out QrCode? code,
        [NotNullWhen(false)] out string? error)
    {
        code = null;
        if (!TryReadEui(fields[0], "JoinEUI", firstField, out var joinEui, out error)
            || !TryReadEui(fields[1], "DevEUI", firstField + 1, out var devEui, out error)
            || !TryReadProfileId(fields[2], firstField + 2, out var vendorId, out var vendorProfileId, out error))
        {
            return false;
        }
        code = new QrCode(format, new DevEui(devEui))
        {
            JoinEui = new JoinEui(joinEui),
            VendorId = vendorId,
            VendorProfileId = vendorProfileId,
        };
        return true;
    }

    /// <summary>The ProfileID as written: VendorID and VendorProfileID, 4 uppercase hex digits each.</summary>
    public static string FormatProfileId(QrCode code) =>
        string.Create(CultureInfo.InvariantCulture, $"{code.VendorId ?? 0:X4}{code.VendorProfileId ?? 0:X4}");

    public static bool IsHex(ReadOnlySpan<char> text) => !text.IsEmpty && !text.ContainsAnyExcept(HexDigits);

    /// <summary>
    /// An extension value must survive a round trip: no separator of its layout, no character outside
    /// the layout's set, and no surrounding whitespace (the parser trims the whole text, so a trailing
    /// space on the last value would silently vanish).
    /// </summary>
    public static string? CheckExtensionValue(string value, string extensionName, Func<char, bool> isAllowed, string allowedDescription)
    {
        foreach (var c in value)
        {
            if (!isAllowed(c))
            {
                return $"{extensionName} contains {Describe(c)}; {allowedDescription}";
            }
        }
        if (IndexOfLoneSurrogate(value) >= 0)
        {
            return $"{extensionName} contains half of a UTF-16 surrogate pair, which no QR payload can carry";
        }
        return value.Length > 0 && (char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1]))
            ? $"{extensionName} starts or ends with whitespace"
            : null;
    }

    /// <summary>Where a surrogate stands without its pair (such text has no UTF-8 form), or -1.</summary>
    public static int IndexOfLoneSurrogate(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (Rune.DecodeFromUtf16(text[i..], out _, out var consumed) != OperationStatus.Done)
            {
                return i;
            }
            i += consumed - 1;
        }
        return -1;
    }

    /// <summary>Quotes a value for an error message, shortened so a 1 kB input does not flood the message.</summary>
    public static string Quote(string value) =>
        value.Length <= QuotedLength ? $"'{value}'" : $"'{value[..QuotedLength]}…'";

    public static string Describe(char c) =>
        char.IsControl(c) || char.IsWhiteSpace(c) || char.IsSurrogate(c)
            ? $"character U+{(int)c:X4}"
            : $"character '{c}'";

    private static string? CheckHex(string value, string name, int field, int digits)
    {
        if (value.Length == 0)
        {
            return $"{name} in field {field} is empty";
        }
        var bad = value.AsSpan().IndexOfAnyExcept(HexDigits);
        if (bad >= 0)
        {
            return $"{name} {Quote(value)} in field {field} has a non-hex {Describe(value[bad])}";
        }
        return value.Length == digits
            ? null
            : $"{name} {Quote(value)} in field {field} is not {digits} hex digits (it has {value.Length})";
    }
}
