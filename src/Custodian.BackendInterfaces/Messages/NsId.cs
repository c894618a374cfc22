using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json.Serialization;
using Custodian.BackendInterfaces.Json;

namespace Custodian.BackendInterfaces;

/// <summary>A Network Server's identifier (NSID, BI 1.1): an EUI-64, as 16 big-endian hex digits.</summary>
[JsonConverter(typeof(NsIdConverter))]
public readonly record struct NsId(ulong Value) : ISpanParsable<NsId>, ISpanFormattable
{
    public const int Size = 8;

    public static NsId Parse(ReadOnlySpan<char> text) =>
        TryParse(text, out var id) ? id : throw new FormatException("NSID must be 16 hex digits.");

    public static bool TryParse(ReadOnlySpan<char> text, out NsId id)
    {
        // ulong.TryParse with HexNumber would accept fewer digits; an EUI is always 16.
        ulong value = 0;
        var parsed = text.Length == Size * 2
            && ulong.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
        id = new NsId(value);
        return parsed;
    }

    public override string ToString() => Value.ToString("X16", CultureInfo.InvariantCulture);

    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
        Value.TryFormat(destination, out charsWritten, "X16", CultureInfo.InvariantCulture);

    static NsId IParsable<NsId>.Parse(string s, IFormatProvider? provider) => Parse(s);

    static bool IParsable<NsId>.TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out NsId result) =>
        TryParse(s.AsSpan(), out result);

    static NsId ISpanParsable<NsId>.Parse(ReadOnlySpan<char> s, IFormatProvider? provider) => Parse(s);

    static bool ISpanParsable<NsId>.TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out NsId result) =>
        TryParse(s, out result);
}
