using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Custodian.Lorawan;

/// <summary>
/// The leading <see cref="Length"/> bits of a JoinEUI, written <c>70B3D57ED0000000/36</c>,
/// or as bare hex digits (<c>70B3D5</c> = the first 24 bits).
/// </summary>
public readonly record struct JoinEuiPrefix : ISpanParsable<JoinEuiPrefix>, ISpanFormattable
{
    public JoinEuiPrefix(JoinEui start, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, 64);
        Length = length;
        Start = new JoinEui(start.Value & Mask(length));
    }

    /// <summary>The prefix bits followed by zeros.</summary>
    public JoinEui Start { get; }

    /// <summary>How many leading bits are fixed, 0 to 64.</summary>
    public int Length { get; }

    public bool Contains(JoinEui joinEui) => (joinEui.Value & Mask(Length)) == Start.Value;

    public static JoinEuiPrefix Parse(string text) => Parse(text.AsSpan());

    public static JoinEuiPrefix Parse(ReadOnlySpan<char> text) =>
        TryParse(text, out var prefix, out var error) ? prefix : throw new FormatException(error);

    public static bool TryParse(ReadOnlySpan<char> text, out JoinEuiPrefix prefix, [NotNullWhen(false)] out string? error)
    {
        prefix = default;
        text = text.Trim();
        var slash = text.IndexOf('/');
        if (slash < 0)
        {
            return TryParseBareDigits(text, out prefix, out error);
        }
        if (!JoinEui.TryParse(text[..slash], out var start, out error))
        {
            error = "JoinEUI prefix: " + error;
            return false;
        }
        if (!int.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var length) || length > 64)
        {
            error = $"JoinEUI prefix length must be a whole number from 0 to 64, got '{text[(slash + 1)..]}'.";
            return false;
        }
        if ((start.Value & ~Mask(length)) != 0)
        {
            error = $"JoinEUI prefix {start}/{length} has bits set beyond its length.";
            return false;
        }
        prefix = new JoinEuiPrefix(start, length);
        return true;
    }

    public override string ToString() => $"{Start}/{Length.ToString(CultureInfo.InvariantCulture)}";

    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
        destination.TryWrite(CultureInfo.InvariantCulture, $"{Start}/{Length}", out charsWritten);

    private static bool TryParseBareDigits(ReadOnlySpan<char> text, out JoinEuiPrefix prefix, [NotNullWhen(false)] out string? error)
    {
        prefix = default;
        if (text.IsEmpty || text.Length > 16)
        {
            error = text.IsEmpty ? "JoinEUI prefix is empty." : $"JoinEUI prefix has {text.Length} hex digits; at most 16 are allowed.";
            return false;
        }
        Span<char> padded = stackalloc char[16];
        padded.Fill('0');
        text.CopyTo(padded);
        if (!JoinEui.TryParse(padded, out var start, out error))
        {
            error = "JoinEUI prefix: " + error;
            return false;
        }
        prefix = new JoinEuiPrefix(start, text.Length * 4);
        return true;
    }

    private static ulong Mask(int length) => length == 0 ? 0 : ulong.MaxValue << (64 - length);

    static JoinEuiPrefix IParsable<JoinEuiPrefix>.Parse(string s, IFormatProvider? provider) => Parse(s);

    static bool IParsable<JoinEuiPrefix>.TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out JoinEuiPrefix result) =>
        TryParse(s.AsSpan(), out result, out _);

    static JoinEuiPrefix ISpanParsable<JoinEuiPrefix>.Parse(ReadOnlySpan<char> s, IFormatProvider? provider) => Parse(s);

    static bool ISpanParsable<JoinEuiPrefix>.TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out JoinEuiPrefix result) =>
        TryParse(s, out result, out _);
}
