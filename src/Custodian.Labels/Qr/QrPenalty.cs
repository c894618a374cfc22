using System.Numerics;

namespace Custodian.Labels.Qr;

/// <summary>
/// The mask evaluation of ISO/IEC 18004 7.8.3, over the whole symbol (function patterns and format information
/// included, quiet zone not), 64 modules at a time:
/// <list type="bullet">
/// <item>N1: a run of k ≥ 5 modules of one colour in a row or column scores 3 + (k − 5);</item>
/// <item>N2: each 2×2 block of one colour scores 3 (overlapping blocks counted, which is 3·(m−1)·(n−1) for an m×n block);</item>
/// <item>N3: each 1:1:3:1:1 finder-like pattern with 4 light modules on one side (dark-light-dark×3-light-dark-light×4 or
/// its mirror, all 11 modules inside the symbol) scores 40, a pattern with light on both sides counting twice;</item>
/// <item>N4: 10 for every full 5 % step the dark share is away from the 45–55 % band, the share taken as
/// ⌊20·dark/total⌋ steps of 5 %.</item>
/// </list>
/// N3 and N4 leave room for reading: whether the quiet zone counts as light, whether a pattern with light on both
/// sides counts once, and how a share exactly on a 5 % boundary rounds (other encoders, Nayuki's for one, count the
/// quiet zone as light). This reads them as QRCoder 1.8.1 does, so the same text gives the same code as the labels
/// printed before; any mask is valid (the format information names it, decoders unmask by it), the penalty only
/// picks one that reads well.
/// </summary>
internal static class QrPenalty
{
    public static int Score(QrModuleLines modules)
    {
        int size = modules.Size, runs = 0, finders = 0;
        for (var i = 0; i < size; i++)
        {
            var row = modules.Row(i);
            var column = modules.Column(i);
            runs += RunPenalty(row, size) + RunPenalty(column, size);
            finders += FinderPatterns(row, size) + FinderPatterns(column, size);
        }
        var blocks = 0;
        for (var y = 0; y + 1 < size; y++)
        {
            blocks += SameColourBlocks(modules.Row(y), modules.Row(y + 1), size);
        }
        var stepsOf5Percent = modules.CountDark() * 20 / (size * size);
        var balance = Math.Min(Math.Abs(stepsOf5Percent - 10), Math.Abs(stepsOf5Percent - 9)) * 10;
        return runs + (3 * blocks) + (40 * finders) + balance;
    }

    /// <summary>N1 of one line: every run of 5 or more scores its length minus 2.</summary>
    private static int RunPenalty(ReadOnlySpan<ulong> line, int size)
    {
        var penalty = 0;
        ulong carry = 0; // whether the module before this word equals its first one
        for (var w = 0; w < line.Length - 1; w++)
        {
            ulong s0 = line[w], s1 = Shifted(line, w, 1), s2 = Shifted(line, w, 2), s3 = Shifted(line, w, 3), s4 = Shifted(line, w, 4);
            var same01 = ~(s0 ^ s1);
            // A window of five equal modules starts at x; a run of k holds k − 4 of them, and the first one (where x
            // differs from x − 1) adds the other 2.
            var fives = same01 & ~(s1 ^ s2) & ~(s2 ^ s3) & ~(s3 ^ s4) & Below(size - 4, w);
            var sameAsPrevious = (same01 << 1) | carry;
            carry = same01 >> 63;
            penalty += BitOperations.PopCount(fives) + (2 * BitOperations.PopCount(fives & ~sameAsPrevious));
        }
        return penalty;
    }

    /// <summary>N3 of one line: 1011101 followed by 0000, or 0000 followed by 1011101.</summary>
    private static int FinderPatterns(ReadOnlySpan<ulong> line, int size)
    {
        var count = 0;
        for (var w = 0; w < line.Length - 1; w++)
        {
            ulong s0 = line[w], s1 = Shifted(line, w, 1), s2 = Shifted(line, w, 2), s3 = Shifted(line, w, 3),
                s4 = Shifted(line, w, 4), s5 = Shifted(line, w, 5), s6 = Shifted(line, w, 6), s7 = Shifted(line, w, 7),
                s8 = Shifted(line, w, 8), s9 = Shifted(line, w, 9), s10 = Shifted(line, w, 10);
            var lightAfter = s0 & ~s1 & s2 & s3 & s4 & ~s5 & s6 & ~(s7 | s8 | s9 | s10);
            var lightBefore = ~(s0 | s1 | s2 | s3) & s4 & ~s5 & s6 & s7 & s8 & ~s9 & s10;
            var inside = Below(size - 10, w);
            count += BitOperations.PopCount(lightAfter & inside) + BitOperations.PopCount(lightBefore & inside);
        }
        return count;
    }

    /// <summary>N2 between two neighbouring rows: the 2×2 blocks of one colour whose left column is x.</summary>
    private static int SameColourBlocks(ReadOnlySpan<ulong> upper, ReadOnlySpan<ulong> lower, int size)
    {
        var count = 0;
        for (var w = 0; w < upper.Length - 1; w++)
        {
            ulong a0 = upper[w], a1 = Shifted(upper, w, 1), b0 = lower[w], b1 = Shifted(lower, w, 1);
            count += BitOperations.PopCount(~(a0 ^ b0) & ~(a0 ^ a1) & ~(b0 ^ b1) & Below(size - 1, w));
        }
        return count;
    }

    /// <summary>Word <paramref name="w"/> of the line moved <paramref name="k"/> modules towards 0: bit x is module x + k.</summary>
    private static ulong Shifted(ReadOnlySpan<ulong> line, int w, int k) => (line[w] >> k) | (line[w + 1] << (64 - k));

    /// <summary>The bits of word <paramref name="w"/> whose position x is below <paramref name="limit"/>.</summary>
    private static ulong Below(int limit, int w)
    {
        var bits = limit - (w * 64);
        return bits <= 0 ? 0 : bits >= 64 ? ulong.MaxValue : (1UL << bits) - 1;
    }
}
