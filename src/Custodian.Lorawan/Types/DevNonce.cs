using System.Diagnostics.CodeAnalysis;

namespace Custodian.Lorawan;

/// <summary>The 16-bit nonce a device puts in each JoinRequest. Text is 4 big-endian hex digits (uppercase when formatted); the wire is 2 bytes little-endian.</summary>
public readonly record struct DevNonce : ISpanParsable<DevNonce>, ISpanFormattable
{
    public const int Size = 2;
    private const int HexDigits = 4;

    public DevNonce(ushort value)
    {
        Value = value;
    }

    public ushort Value { get; }

    public static DevNonce Parse(string text) => Parse(text.AsSpan());

    public static DevNonce Parse(ReadOnlySpan<char> text) => new((ushort)HexIdentifier.Parse(text, HexDigits, "DevNonce"));

    public static bool TryParse(ReadOnlySpan<char> text, out DevNonce value, [NotNullWhen(false)] out string? error)
    {
        var parsed = HexIdentifier.TryParse(text, HexDigits, "DevNonce", out var bits, out error);
        value = parsed ? new((ushort)bits) : default;
        return parsed;
    }

    public static DevNonce ReadLittleEndian(ReadOnlySpan<byte> source) =>
        new((ushort)HexIdentifier.ReadLittleEndian(source, Size, "DevNonce"));

    public void WriteLittleEndian(Span<byte> destination) =>
        HexIdentifier.WriteLittleEndian(Value, destination, Size, "DevNonce");

    public byte[] ToBigEndianBytes() => HexIdentifier.ToBigEndianBytes(Value, Size);

    public override string ToString() => HexIdentifier.Format(Value, HexDigits);

    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
        HexIdentifier.TryFormat(Value, HexDigits, destination, out charsWritten);

    static DevNonce IParsable<DevNonce>.Parse(string s, IFormatProvider? provider) => Parse(s);

    static bool IParsable<DevNonce>.TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out DevNonce result) =>
        TryParse(s.AsSpan(), out result, out _);

    static DevNonce ISpanParsable<DevNonce>.Parse(ReadOnlySpan<char> s, IFormatProvider? provider) => Parse(s);

    static bool ISpanParsable<DevNonce>.TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out DevNonce result) =>
        TryParse(s, out result, out _);
}
