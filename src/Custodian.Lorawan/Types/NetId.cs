using System.Diagnostics.CodeAnalysis;

namespace Custodian.Lorawan;

/// <summary>A 24-bit LoRaWAN network identifier. Text is 6 big-endian hex digits (uppercase when formatted); the wire is 3 bytes little-endian.</summary>
public readonly record struct NetId : ISpanParsable<NetId>, ISpanFormattable
{
    public const int Size = 3;
    private const int HexDigits = 6;

    public NetId(uint value)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 0xFFFFFFu);
        Value = value;
    }

    public uint Value { get; }

    public static NetId Parse(string text) => Parse(text.AsSpan());

    public static NetId Parse(ReadOnlySpan<char> text) => new((uint)HexIdentifier.Parse(text, HexDigits, "NetID"));

    public static bool TryParse(ReadOnlySpan<char> text, out NetId value, [NotNullWhen(false)] out string? error)
    {
        var parsed = HexIdentifier.TryParse(text, HexDigits, "NetID", out var bits, out error);
        value = parsed ? new((uint)bits) : default;
        return parsed;
    }

    public static NetId ReadLittleEndian(ReadOnlySpan<byte> source) =>
        new((uint)HexIdentifier.ReadLittleEndian(source, Size, "NetID"));

    public void WriteLittleEndian(Span<byte> destination) =>
        HexIdentifier.WriteLittleEndian(Value, destination, Size, "NetID");

    public byte[] ToBigEndianBytes() => HexIdentifier.ToBigEndianBytes(Value, Size);

    public override string ToString() => HexIdentifier.Format(Value, HexDigits);

    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
        HexIdentifier.TryFormat(Value, HexDigits, destination, out charsWritten);

    static NetId IParsable<NetId>.Parse(string s, IFormatProvider? provider) => Parse(s);

    static bool IParsable<NetId>.TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out NetId result) =>
        TryParse(s.AsSpan(), out result, out _);

    static NetId ISpanParsable<NetId>.Parse(ReadOnlySpan<char> s, IFormatProvider? provider) => Parse(s);

    static bool ISpanParsable<NetId>.TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out NetId result) =>
        TryParse(s, out result, out _);
}
