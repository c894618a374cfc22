using System.Diagnostics.CodeAnalysis;

namespace Custodian.Lorawan;

/// <summary>A device's IEEE EUI-64. Text is 16 big-endian hex digits (uppercase when formatted); the wire is 8 bytes little-endian.</summary>
public readonly record struct DevEui : ISpanParsable<DevEui>, ISpanFormattable
{
    public const int Size = 8;
    private const int HexDigits = 16;

    public DevEui(ulong value)
    {
        Value = value;
    }

    public ulong Value { get; }

    public static DevEui Parse(string text) => Parse(text.AsSpan());

    public static DevEui Parse(ReadOnlySpan<char> text) => new((ulong)HexIdentifier.Parse(text, HexDigits, "DevEUI"));

    public static bool TryParse(ReadOnlySpan<char> text, out DevEui value, [NotNullWhen(false)] out string? error)
    {
        var parsed = HexIdentifier.TryParse(text, HexDigits, "DevEUI", out var bits, out error);
        value = parsed ? new((ulong)bits) : default;
        return parsed;
    }

    public static DevEui ReadLittleEndian(ReadOnlySpan<byte> source) =>
        new((ulong)HexIdentifier.ReadLittleEndian(source, Size, "DevEUI"));

    public void WriteLittleEndian(Span<byte> destination) =>
        HexIdentifier.WriteLittleEndian(Value, destination, Size, "DevEUI");

    public byte[] ToBigEndianBytes() => HexIdentifier.ToBigEndianBytes(Value, Size);

    public override string ToString() => HexIdentifier.Format(Value, HexDigits);

    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
        HexIdentifier.TryFormat(Value, HexDigits, destination, out charsWritten);

    static DevEui IParsable<DevEui>.Parse(string s, IFormatProvider? provider) => Parse(s);

    static bool IParsable<DevEui>.TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out DevEui result) =>
        TryParse(s.AsSpan(), out result, out _);

    static DevEui ISpanParsable<DevEui>.Parse(ReadOnlySpan<char> s, IFormatProvider? provider) => Parse(s);

    static bool ISpanParsable<DevEui>.TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out DevEui result) =>
        TryParse(s, out result, out _);
}
