using System.Text;

namespace Custodian.Labels.Qr;

/// <summary>
/// A text as QR segments. ASCII goes in numeric, alphanumeric and byte segments (<see cref="QrSegmentation"/>), unmarked
/// since ASCII is a subset of the default ISO-8859-1; any other text goes as one byte segment of UTF-8 behind an ECI
/// designator 26, since unmarked bytes are read as Latin-1 or Shift JIS.
/// </summary>
internal readonly ref struct QrData
{
    /// <summary>ECI designator for UTF-8 (AIM ECI).</summary>
    public const int Utf8Eci = 26;

    private readonly string _text;
    private readonly ReadOnlySpan<QrSegment> _segments;
    private readonly ReadOnlySpan<byte> _utf8;

    private QrData(string text, ReadOnlySpan<QrSegment> segments, ReadOnlySpan<byte> utf8)
    {
        _text = text;
        _segments = segments;
        _utf8 = utf8;
    }

    /// <summary>Whether the text is written as UTF-8 behind an ECI header.</summary>
    public bool IsUtf8 => !_utf8.IsEmpty;

    /// <summary>
    /// The text's segments for versions in <paramref name="range"/> (<see cref="QrSegmentation.RangeOf"/>).
    /// <paramref name="segments"/> must hold one segment a character (one at least), <paramref name="utf8Buffer"/> three
    /// bytes a character; either is used only as far as the text needs.
    /// </summary>
    public static QrData Of(string text, int range, Span<QrSegment> segments, Span<byte> utf8Buffer)
    {
        if (Ascii.IsValid(text))
        {
            return new QrData(text, segments[..QrSegmentation.Split(text, range, segments)], default);
        }
        var length = Encoding.UTF8.GetBytes(text, utf8Buffer);
        segments[0] = new QrSegment(QrMode.Byte, 0, text.Length);
        return new QrData(text, segments[..1], utf8Buffer[..length]);
    }

    /// <summary>Bits of every segment (headers included) in a symbol of <paramref name="version"/>.</summary>
    public int BitLength(int version)
    {
        var bits = IsUtf8 ? 12 : 0;
        foreach (var segment in _segments)
        {
            bits += 4 + QrSegment.CountBits(segment.Mode, version) + segment.DataBits(ByteCount(segment));
        }
        return bits;
    }

    public void WriteTo(ref QrBitWriter writer, int version)
    {
        if (IsUtf8)
        {
            writer.Write(0b0111, 4);
            writer.Write(Utf8Eci, 8);
        }
        foreach (var segment in _segments)
        {
            writer.Write((int)segment.Mode, 4);
            writer.Write(segment.Mode == QrMode.Byte ? ByteCount(segment) : segment.Length, QrSegment.CountBits(segment.Mode, version));
            var chars = _text.AsSpan(segment.Start, segment.Length);
            switch (segment.Mode)
            {
                case QrMode.Numeric:
                    WriteNumeric(ref writer, chars);
                    break;
                case QrMode.Alphanumeric:
                    WriteAlphanumeric(ref writer, chars);
                    break;
                case QrMode.Byte when IsUtf8:
                    writer.WriteBytes(_utf8);
                    break;
                default:
                    foreach (var c in chars)
                    {
                        writer.Write(c, 8);
                    }
                    break;
            }
        }
    }

    private int ByteCount(QrSegment segment) => IsUtf8 ? _utf8.Length : segment.Length;

    /// <summary>Three digits in 10 bits, a last two in 7, a last one in 4.</summary>
    private static void WriteNumeric(ref QrBitWriter writer, ReadOnlySpan<char> digits)
    {
        for (; digits.Length >= 3; digits = digits[3..])
        {
            writer.Write(((digits[0] - '0') * 100) + ((digits[1] - '0') * 10) + (digits[2] - '0'), 10);
        }
        if (digits.Length == 2)
        {
            writer.Write(((digits[0] - '0') * 10) + (digits[1] - '0'), 7);
        }
        else if (digits.Length == 1)
        {
            writer.Write(digits[0] - '0', 4);
        }
    }

    /// <summary>Two characters in 11 bits (45·first + second), a last one in 6.</summary>
    private static void WriteAlphanumeric(ref QrBitWriter writer, ReadOnlySpan<char> chars)
    {
        for (; chars.Length >= 2; chars = chars[2..])
        {
            writer.Write((QrSegment.AlphanumericValue(chars[0]) * 45) + QrSegment.AlphanumericValue(chars[1]), 11);
        }
        if (chars.Length == 1)
        {
            writer.Write(QrSegment.AlphanumericValue(chars[0]), 6);
        }
    }
}
