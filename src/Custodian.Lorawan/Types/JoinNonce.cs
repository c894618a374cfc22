using System.Diagnostics.CodeAnalysis;

namespace Custodian.Lorawan;

/// <summary>The 24-bit nonce (counter) a Join Server puts in each JoinAccept. Text is 6 big-endian hex digits (uppercase when formatted); the wire is 3 bytes little-endian.</summary>
public readonly record struct JoinNonce : ISpanParsable<JoinNonce>, ISpanFormattable
{
    public const int Size = 3;
    private const int HexDigits = 6;

    public JoinNonce(uint value)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 0xFFFFFFu);
        Value = value;
    }

    public uint Value { get; }

    public static JoinNonce Parse(string text) => Parse(text.AsSpan());

    public static JoinNonce Parse(ReadOnlySpan<char> text) => new((uint)HexIdentifier.Parse(text, HexDigits, "JoinNonce"));

    public static bool TryParse(ReadOnlySpan<char> text, out JoinNonce value, [NotNullWhen(false)] out string? error)
    {
        var parsed = HexIdentifier.TryParse(text, HexDigits, "JoinNonce", out var bits, out error);
        value = parsed ? new((uint)bits) : default;
        return parsed;
    }

    public static JoinNonce ReadLittleEndian(ReadOnlySpan<byte> source) =>
        new((uint)HexIdentifier.ReadLittleEndian(source, Size, "JoinNonce"));

    public void WriteLittleEndian(Span<byte> destination) =>
        HexIdentifier.WriteLittleEndian(Value, destination, Size, "JoinNonce");

    public byte[] ToBigEndianBytes() => HexIdentifier.ToBigEndianBytes(Value, Size);

    public override string ToString() => HexIdentifier.Format(Value, HexDigits);

    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
        HexIdentifier.TryFormat(Value, HexDigits, destination, out charsWritten);

    static JoinNonce IParsable<JoinNonce>.Parse(string s, IFormatProvider? provider) => Parse(s);

    static bool IParsable<JoinNonce>.TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out JoinNonce result) =>
        TryParse(s.AsSpan(), out result, out _);

    static JoinNonce ISpanParsable<JoinNonce>.Parse(ReadOnlySpan<char> s, IFormatProvider? provider) => Parse(s);

    static bool ISpanParsable<JoinNonce>.TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out JoinNonce result) =>
        TryParse(s, out result, out _);
}
