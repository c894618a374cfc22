namespace Custodian.Labels.Qr;

/// <summary>How a segment's characters become bits (ISO/IEC 18004 table 2 mode indicators).</summary>
internal enum QrMode
{
    Numeric = 1,
    Alphanumeric = 2,
    Byte = 4,
}

/// <summary>A run of a text's characters written in one mode.</summary>
internal readonly record struct QrSegment(QrMode Mode, int Start, int Length)
{
    private const string AlphanumericSymbols = " $%*+-./:";

    /// <summary>Bits of the segment's characters; <paramref name="byteCount"/> is its length in bytes (byte mode).</summary>
    public int DataBits(int byteCount) => Mode switch
    {
        QrMode.Numeric => (10 * (Length / 3)) + (Length % 3 == 2 ? 7 : Length % 3 == 1 ? 4 : 0),
        QrMode.Alphanumeric => (11 * (Length / 2)) + (6 * (Length % 2)),
        _ => 8 * byteCount,
    };

    /// <summary>Width of the character count indicator (ISO/IEC 18004 table 3).</summary>
    public static int CountBits(QrMode mode, int version) => (mode, version) switch
    {
        (QrMode.Numeric, < 10) => 10,
        (QrMode.Numeric, < 27) => 12,
        (QrMode.Numeric, _) => 14,
        (QrMode.Alphanumeric, < 10) => 9,
        (QrMode.Alphanumeric, < 27) => 11,
        (QrMode.Alphanumeric, _) => 13,
        (_, < 10) => 8,
        _ => 16,
    };

    /// <summary>The value of a character in the 45-character alphanumeric set, or −1.</summary>
    public static int AlphanumericValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'A' and <= 'Z' => c - 'A' + 10,
        _ => AlphanumericSymbols.IndexOf(c, StringComparison.Ordinal) is var i and >= 0 ? 36 + i : -1,
    };
}
