namespace Custodian.Labels.Qr;

/// <summary>
/// Splits an ASCII text into numeric, alphanumeric and byte segments by the mode-switching rules of ISO/IEC 18004:2015
/// annex J.2 (no Kanji), as QRCoder 1.8.1 does: a TR005 text is alphanumeric up to a lowercase serial number, which
/// then goes as bytes, so the labels keep the size and the exact modules they had when QRCoder drew them. The rules'
/// run lengths grow with the count indicators, so a text is split once per version range (1–9, 10–26, 27–40).
/// </summary>
internal static class QrSegmentation
{
    /// <summary>The version ranges that share count indicator widths and so the same split.</summary>
    public static int RangeOf(int version) => version < 10 ? 0 : version < 27 ? 1 : 2;

    /// <summary>
    /// Writes the segments of <paramref name="text"/> for versions in <paramref name="range"/> (at most one a
    /// character) and returns how many.
    /// </summary>
    public static int Split(string text, int range, Span<QrSegment> segments)
    {
        var thresholds = Thresholds.Of(range);
        if (text.Length == 0)
        {
            segments[0] = new QrSegment(QrMode.Byte, 0, 0);
            return 1;
        }
        var count = 0;
        var start = 0;
        var mode = InitialMode(text, 0, thresholds);
        while (start < text.Length)
        {
            var (end, next) = mode switch
            {
                QrMode.Numeric => NumericEnd(text, start, thresholds),
                QrMode.Alphanumeric => AlphanumericEnd(text, start, thresholds),
                _ => ByteEnd(text, start, thresholds),
            };
            segments[count++] = new QrSegment(mode, start, end - start);
            (start, mode) = (end, next);
        }
        return count;
    }

    /// <summary>The mode to start with at <paramref name="position"/> (J.2 a).</summary>
    private static QrMode InitialMode(string text, int position, Thresholds thresholds)
    {
        var c = text[position];
        if (!IsAlphanumeric(c))
        {
            return QrMode.Byte;
        }
        if (char.IsAsciiDigit(c))
        {
            var digits = Run(text, position, char.IsAsciiDigit);
            var after = position + digits;
            if (after < text.Length)
            {
                // A short number before bytes goes with the bytes, before letters with the letters.
                if (digits < thresholds.DigitsBeforeByte && !IsAlphanumeric(text[after]))
                {
                    return QrMode.Byte;
                }
                if (digits < thresholds.DigitsBeforeAlphanumeric && IsAlphanumeric(text[after]))
                {
                    return QrMode.Alphanumeric;
                }
            }
            return QrMode.Numeric;
        }
        var alphanumerics = Run(text, position, IsAlphanumeric);
        return alphanumerics < thresholds.AlphanumericBeforeByte && position + alphanumerics < text.Length
            ? QrMode.Byte
            : QrMode.Alphanumeric;
    }

    /// <summary>Bytes go on until enough digits or alphanumeric characters follow to pay for a new header (J.2 b).</summary>
    private static (int End, QrMode Next) ByteEnd(string text, int start, Thresholds thresholds)
    {
        for (var position = start; position < text.Length; position++)
        {
            if (Run(text, position, char.IsAsciiDigit) >= thresholds.DigitsToLeaveByte)
            {
                return (position, QrMode.Numeric);
            }
            if (Run(text, position, IsAlphanumeric) >= thresholds.AlphanumericToLeaveByte)
            {
                return (position, QrMode.Alphanumeric);
            }
        }
        return (text.Length, QrMode.Byte);
    }

    /// <summary>Alphanumeric goes on until a byte-only character or a long number (J.2 c).</summary>
    private static (int End, QrMode Next) AlphanumericEnd(string text, int start, Thresholds thresholds)
    {
        for (var position = start; position < text.Length; position++)
        {
            if (!IsAlphanumeric(text[position]))
            {
                return (position, QrMode.Byte);
            }
            if (Run(text, position, char.IsAsciiDigit) >= thresholds.DigitsToLeaveAlphanumeric)
            {
                return (position, QrMode.Numeric);
            }
        }
        return (text.Length, QrMode.Alphanumeric);
    }

    /// <summary>Numeric goes on to the first non-digit, where the next mode is chosen as at the start (J.2 d).</summary>
    private static (int End, QrMode Next) NumericEnd(string text, int start, Thresholds thresholds)
    {
        for (var position = start; position < text.Length; position++)
        {
            if (!char.IsAsciiDigit(text[position]))
            {
                return (position, InitialMode(text, position, thresholds));
            }
        }
        return (text.Length, QrMode.Numeric);
    }

    private static bool IsAlphanumeric(char c) => QrSegment.AlphanumericValue(c) >= 0;

    private static int Run(string text, int start, Func<char, bool> matches)
    {
        var end = start;
        while (end < text.Length && matches(text[end]))
        {
            end++;
        }
        return end - start;
    }

    /// <summary>Annex J.2's run lengths for one version range (its [1–9, 10–26, 27–40] triples).</summary>
    private readonly record struct Thresholds(
        int DigitsBeforeByte, int DigitsBeforeAlphanumeric, int AlphanumericBeforeByte,
        int DigitsToLeaveByte, int AlphanumericToLeaveByte, int DigitsToLeaveAlphanumeric)
    {
        public static Thresholds Of(int range) => range switch
        {
            0 => new(4, 7, 6, 6, 11, 13),
            1 => new(4, 8, 7, 8, 15, 15),
            _ => new(5, 9, 8, 9, 16, 17),
        };
    }
}
