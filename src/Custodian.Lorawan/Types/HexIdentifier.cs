using System.Globalization;

namespace Custodian.Lorawan;

/// <summary>
/// Text and wire forms shared by the fixed-width identifiers (EUIs, NetID, DevAddr, nonces):
/// display text is big-endian uppercase hex, the wire is little-endian.
/// </summary>
internal static class HexIdentifier
{
    public static bool TryParse(ReadOnlySpan<char> text, int hexDigits, string typeName, out ulong value, out string? error)
    {
        value = 0;
        text = text.Trim();
        if (text.IsEmpty)
        {
            error = $"{typeName} is empty.";
            return false;
        }
        if (text.Length != hexDigits)
        {
            error = $"{typeName} must be {hexDigits} hex digits, got {text.Length} characters.";
            return false;
        }
        for (var i = 0; i < text.Length; i++)
        {
            var nibble = HexDigitValue(text[i]);
            if (nibble < 0)
            {
                error = $"{typeName} has a non-hex character {Describe(text[i])} at position {i + 1}.";
                return false;
            }
            value = (value << 4) | (uint)nibble;
        }
        error = null;
        return true;
    }

    public static ulong Parse(ReadOnlySpan<char> text, int hexDigits, string typeName) =>
        TryParse(text, hexDigits, typeName, out var value, out var error) ? value : throw new FormatException(error);

    public static string Format(ulong value, int hexDigits) =>
        value.ToString(HexFormat(hexDigits), CultureInfo.InvariantCulture);

    public static bool TryFormat(ulong value, int hexDigits, Span<char> destination, out int charsWritten) =>
        value.TryFormat(destination, out charsWritten, HexFormat(hexDigits), CultureInfo.InvariantCulture);

    public static ulong ReadLittleEndian(ReadOnlySpan<byte> source, int byteCount, string typeName)
    {
        if (source.Length < byteCount)
        {
            throw new ArgumentException($"{typeName} needs {byteCount} bytes, got {source.Length}.", nameof(source));
        }
        ulong value = 0;
        for (var i = byteCount - 1; i >= 0; i--)
        {
            value = (value << 8) | source[i];
        }
        return value;
    }

    public static void WriteLittleEndian(ulong value, Span<byte> destination, int byteCount, string typeName)
    {
        if (destination.Length < byteCount)
        {
            throw new ArgumentException($"{typeName} needs {byteCount} bytes of room, got {destination.Length}.", nameof(destination));
        }
        for (var i = 0; i < byteCount; i++)
        {
            destination[i] = (byte)(value >> (8 * i));
        }
    }

    public static byte[] ToBigEndianBytes(ulong value, int byteCount)
    {
        var bytes = new byte[byteCount];
        for (var i = 0; i < byteCount; i++)
        {
            bytes[byteCount - 1 - i] = (byte)(value >> (8 * i));
        }
        return bytes;
    }

    /// <summary>Printable characters quoted, others by code point, so an error never carries a control character.</summary>
    private static string Describe(char c) =>
        char.IsControl(c) || char.IsWhiteSpace(c) || char.IsSurrogate(c) ? $"U+{(int)c:X4}" : $"'{c}'";

    private static int HexDigitValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'A' and <= 'F' => c - 'A' + 10,
        >= 'a' and <= 'f' => c - 'a' + 10,
        _ => -1,
    };

    private static string HexFormat(int hexDigits) => hexDigits switch
    {
        4 => "X4",
        6 => "X6",
        8 => "X8",
        16 => "X16",
        _ => "X" + hexDigits.ToString(CultureInfo.InvariantCulture),
    };
}
