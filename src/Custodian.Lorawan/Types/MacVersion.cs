using System.Diagnostics.CodeAnalysis;

namespace Custodian.Lorawan;

/// <summary>
/// A LoRaWAN MAC (link layer) version: 1.0.0 to 1.0.4, or 1.1.
/// Parsing accepts the spellings peers send: <c>1.0</c>, <c>1.0.3</c>, <c>1.1</c>, <c>1.1.0</c>,
/// an optional <c>v</c>, and The Things Stack's <c>MAC_V1_0_3</c>.
/// </summary>
public readonly record struct MacVersion : ISpanParsable<MacVersion>
{
    public static readonly MacVersion V1_0_0 = new(0, 0);
    public static readonly MacVersion V1_0_1 = new(0, 1);
    public static readonly MacVersion V1_0_2 = new(0, 2);
    public static readonly MacVersion V1_0_3 = new(0, 3);
    public static readonly MacVersion V1_0_4 = new(0, 4);
    public static readonly MacVersion V1_1 = new(1, 0);

    private MacVersion(byte minor, byte patch)
    {
        Minor = minor;
        Patch = patch;
    }

    public static IReadOnlyList<MacVersion> All { get; } = [V1_0_0, V1_0_1, V1_0_2, V1_0_3, V1_0_4, V1_1];

    /// <summary>The minor version: 0 for LoRaWAN 1.0.x, 1 for 1.1.</summary>
    public byte Minor { get; }

    public byte Patch { get; }

    /// <summary>LoRaWAN 1.1: separate NwkKey and AppKey, four session keys, JSIntKey and JSEncKey.</summary>
    public bool IsLorawan11 => Minor == 1;

    /// <summary>1.0.4 and 1.1 require each DevNonce to exceed the last; older versions only forbid reuse.</summary>
    public bool RequiresIncreasingDevNonce => IsLorawan11 || Patch >= 4;

    public static MacVersion Parse(string text) => Parse(text.AsSpan());

    public static MacVersion Parse(ReadOnlySpan<char> text) =>
        TryParse(text, out var version, out var error) ? version : throw new FormatException(error);

    public static bool TryParse(ReadOnlySpan<char> text, out MacVersion version, [NotNullWhen(false)] out string? error)
    {
        version = default;
        var trimmed = text.Trim();
        if (trimmed.IsEmpty)
        {
            error = "MAC version is empty.";
            return false;
        }
        var normalized = Normalize(trimmed);
        foreach (var known in All)
        {
            if (normalized == known.ToString() || (known.Patch == 0 && normalized == $"1.{known.Minor}.0"))
            {
                version = known;
                error = null;
                return true;
            }
        }
        error = $"MAC version '{trimmed}' is not supported; expected 1.0.0 to 1.0.4, or 1.1.";
        return false;
    }

    /// <summary>Canonical text: <c>1.0.3</c>, or <c>1.1</c>.</summary>
    public override string ToString() => IsLorawan11 ? "1.1" : $"1.0.{Patch}";

    private static string Normalize(ReadOnlySpan<char> text)
    {
        var s = text.ToString().ToUpperInvariant();
        if (s.StartsWith("MAC_V", StringComparison.Ordinal))
        {
            s = s[5..].Replace('_', '.');
        }
        else if (s.StartsWith('V'))
        {
            s = s[1..];
        }
        return s == "1.0" ? "1.0.0" : s;
    }

    static MacVersion IParsable<MacVersion>.Parse(string s, IFormatProvider? provider) => Parse(s);

    static bool IParsable<MacVersion>.TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out MacVersion result) =>
        TryParse(s.AsSpan(), out result, out _);

    static MacVersion ISpanParsable<MacVersion>.Parse(ReadOnlySpan<char> s, IFormatProvider? provider) => Parse(s);

    static bool ISpanParsable<MacVersion>.TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out MacVersion result) =>
        TryParse(s, out result, out _);
}
