namespace Custodian.Labels.Qr;

/// <summary>
/// The eight data masks of ISO/IEC 18004 table 10 (a module is inverted where the condition holds, i = row, j = column),
/// as bit rows and bit columns ready to be XORed onto a line of modules.
/// </summary>
internal static class QrMask
{
    public const int Count = 8;

    // Every condition repeats every 12 rows and every 12 columns (periods 2, 3, 4 and 6), so 12 rows of 192 modules
    // (the widest symbol is 177) cover every line of every version.
    private const int Period = 12;
    private const int LineWords = 3;

    private static readonly ulong[] RowPatterns = Build(byRow: true);
    private static readonly ulong[] ColumnPatterns = Build(byRow: false);

    public static bool Inverts(int mask, int x, int y) => mask switch
    {
        0 => (x + y) % 2 == 0,
        1 => y % 2 == 0,
        2 => x % 3 == 0,
        3 => (x + y) % 3 == 0,
        4 => ((x / 3) + (y / 2)) % 2 == 0,
        5 => ((x * y % 2) + (x * y % 3)) == 0,
        6 => ((x * y % 2) + (x * y % 3)) % 2 == 0,
        7 => (((x + y) % 2) + (x * y % 3)) % 2 == 0,
        _ => throw new ArgumentOutOfRangeException(nameof(mask), mask, "Masks are numbered 0 to 7."),
    };

    /// <summary>
    /// Writes <paramref name="unmasked"/> with <paramref name="mask"/> applied to its data area into
    /// <paramref name="masked"/>, rows and columns alike.
    /// </summary>
    public static void Apply(int mask, QrModuleLines unmasked, QrModuleLines dataArea, QrModuleLines masked)
    {
        Apply(RowPatterns, mask, unmasked.Rows, dataArea.Rows, masked.Rows, unmasked.Size, unmasked.Words);
        Apply(ColumnPatterns, mask, unmasked.Columns, dataArea.Columns, masked.Columns, unmasked.Size, unmasked.Words);
    }

    private static void Apply(ulong[] patterns, int mask, ulong[] source, ulong[] area, ulong[] target, int size, int words)
    {
        for (var line = 0; line < size; line++)
        {
            var pattern = patterns.AsSpan(((mask * Period) + (line % Period)) * LineWords, LineWords);
            var start = line * words;
            for (var w = 0; w < words - 1; w++)
            {
                target[start + w] = source[start + w] ^ (pattern[w] & area[start + w]);
            }
            target[start + words - 1] = 0;
        }
    }

    private static ulong[] Build(bool byRow)
    {
        var patterns = new ulong[Count * Period * LineWords];
        for (var mask = 0; mask < Count; mask++)
        {
            for (var line = 0; line < Period; line++)
            {
                for (var position = 0; position < LineWords * 64; position++)
                {
                    var inverts = byRow ? Inverts(mask, position, line) : Inverts(mask, line, position);
                    if (inverts)
                    {
                        patterns[(((mask * Period) + line) * LineWords) + (position >> 6)] |= 1UL << (position & 63);
                    }
                }
            }
        }
        return patterns;
    }
}
