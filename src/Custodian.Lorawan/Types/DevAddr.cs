using System.Diagnostics.CodeAnalysis;

namespace Custodian.Lorawan;

/// <summary>A device's 32-bit network address. Text is 8 big-endian hex digits (uppercase when formatted); the wire is 4 bytes little-endian.</summary>
public readonly record struct DevAddr : ISpanParsable<DevAddr>, ISpanFormattable
{
    public const int Size = 4;
    private const int HexDigits = 8;

    public DevAddr(uint value)
    {
        Value = value;
    }

    public uint Value { get; }

    public static DevAddr Parse(string text) => Parse(text.AsSpan());

    public static DevAddr Parse(ReadOnlySpan<char> text) => new((uint)HexIdentifier.Parse(text, HexDigits, "DevAddr"));

    public static bool TryParse(ReadOnlySpan<char> text, out DevAddr value, [NotNullWhen(false)] out string? error)
    {
        var parsed = HexIdentifier.TryParse(text, HexDigits, "DevAddr", out var bits, out error);
        value = parsed ? new((uint)bits) : default;
        return parsed;
    }

    public static DevAddr ReadLittleEndian(ReadOnlySpan<byte> source) =>
        new((uint)HexIdentifier.ReadLittleEndian(source, Size, "DevAddr"));

    public void WriteLittleEndian(Span<byte> destination) =>
        HexIdentifier.WriteLittleEndian(Value, destination, Size, "DevAddr");

    public byte[] ToBigEndianBytes() => HexIdentifier.ToBigEndianBytes(Value, Size);

    public override string ToString() => HexIdentifier.Format(Value, HexDigits);

    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
        HexIdentifier.TryFormat(Value, HexDigits, destination, out charsWritten);

    static DevAddr IParsable<DevAddr>.Parse(string s, IFormatProvider? provider) => Parse(s);

    static bool IParsable<DevAddr>.TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out DevAddr result) =>
        TryParse(s.AsSpan(), out result, out _);

    static DevAddr ISpanParsable<DevAddr>.Parse(ReadOnlySpan<char> s, IFormatProvider? provider) => Parse(s);

    static bool ISpanParsable<DevAddr>.TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out DevAddr result) =>
        TryParse(s, out result, out _);
}
