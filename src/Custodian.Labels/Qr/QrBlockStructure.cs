namespace Custodian.Labels.Qr;

/// <summary>
/// How a version and level split the codewords (ISO/IEC 18004 table 9): error correction codewords per block and the
/// number of blocks; everything else follows. Short blocks come first and long ones hold one more data codeword.
/// </summary>
internal readonly record struct QrBlockStructure(int TotalCodewords, int EccPerBlock, int Blocks)
{
    public const int MinVersion = 1;
    public const int MaxVersion = 40;

    // Indexed [level][version]; entry 0 is unused.
    private static readonly byte[][] EccCodewordsPerBlock =
    [
        [0, 7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28, 28, 28, 30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
        [0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28],
        [0, 13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30, 28, 30, 30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
        [0, 17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28, 30, 24, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
    ];

    private static readonly byte[][] ErrorCorrectionBlocks =
    [
        [0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8, 8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25],
        [0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49],
        [0, 1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20, 23, 23, 25, 27, 29, 34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68],
        [0, 1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25, 25, 34, 30, 32, 35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81],
    ];

    public int DataCodewords => TotalCodewords - (EccPerBlock * Blocks);

    /// <summary>Blocks with the smaller share of codewords; the rest hold one data codeword more.</summary>
    public int ShortBlocks => Blocks - (TotalCodewords % Blocks);

    /// <summary>Data codewords in a short block.</summary>
    public int ShortBlockData => (TotalCodewords / Blocks) - EccPerBlock;

    public static QrBlockStructure Of(int version, QrErrorCorrection level)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(version, MinVersion);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(version, MaxVersion);
        return new QrBlockStructure(
            RawDataModules(version) / 8, EccCodewordsPerBlock[(int)level][version], ErrorCorrectionBlocks[(int)level][version]);
    }

    /// <summary>Modules left for codewords once the function patterns are drawn (remainder bits included).</summary>
    public static int RawDataModules(int version)
    {
        var result = ((16 * version) + 128) * version + 64;
        if (version >= 2)
        {
            var alignments = (version / 7) + 2;
            result -= (((25 * alignments) - 10) * alignments) - 55;
            if (version >= 7)
            {
                result -= 36;
            }
        }
        return result;
    }
}
