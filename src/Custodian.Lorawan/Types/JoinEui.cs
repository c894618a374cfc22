using System.Diagnostics.CodeAnalysis;

namespace Custodian.Lorawan;

/// <summary>The JoinEUI (AppEUI before LoRaWAN 1.1) naming the Join Server. Text is 16 big-endian hex digits (uppercase when formatted); the wire is 8 bytes little-endian.</summary>
public readonly record struct JoinEui : ISpanParsable<JoinEui>, ISpanFormattable
{
    public const int Size = 8;
    private const int HexDigits = 16;

    public JoinEui(ulong value)
    {
        Value = value;
    }

    public ulong Value { get; }

    public static JoinEui Parse(string text) => Parse(text.AsSpan());

    public static JoinEui Parse(ReadOnlySpan<char> text) => new((ulong)HexIdentifier.Parse(text, HexDigits, "JoinEUI"));

    public static bool TryParse(ReadOnlySpan<char> text, out JoinEui value, [NotNullWhen(false)] out string? error)
    {
        var parsed = HexIdentifier.TryParse(text, HexDigits, "JoinEUI", out var bits, out error);
        value = parsed ? new((ulong)bits) : default;
        return parsed;
    }

    public static JoinEui ReadLittleEndian(ReadOnlySpan<byte> source) =>
        new((ulong)HexIdentifier.ReadLittleEndian(source, Size, "JoinEUI"));

    public void WriteLittleEndian(Span<byte> destination) =>
        HexIdentifier.WriteLittleEndian(Value, destination, Size, "JoinEUI");

    public byte[] ToBigEndianBytes() => HexIdentifier.ToBigEndianBytes(Value, Size);

    public override string ToString() => HexIdentifier.Format(Value, HexDigits);

    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
        HexIdentifier.TryFormat(Value, HexDigits, destination, out charsWritten);

    static JoinEui IParsable<JoinEui>.Parse(string s, IFormatProvider? provider) => Parse(s);

    static bool IParsable<JoinEui>.TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out JoinEui result) =>
        TryParse(s.AsSpan(), out result, out _);

    static JoinEui ISpanParsable<JoinEui>.Parse(ReadOnlySpan<char> s, IFormatProvider? provider) => Parse(s);

    static bool ISpanParsable<JoinEui>.TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out JoinEui result) =>
        TryParse(s, out result, out _);
}
