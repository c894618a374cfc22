using System.Numerics;

namespace Custodian.Labels.Qr;

/// <summary>
/// A square of modules kept twice as bit sets, once by rows and once by columns, so the mask penalties read both
/// directions 64 modules at a time. Line i's bit j is module (x = j, y = i) in <see cref="Rows"/> and (x = i, y = j) in
/// <see cref="Columns"/>. Each line has a trailing zero word, so a line shifted right never reads past its end.
/// </summary>
internal sealed class QrModuleLines
{
    public QrModuleLines(int size)
    {
        Size = size;
        Words = ((size + 63) / 64) + 1;
        Rows = new ulong[size * Words];
        Columns = new ulong[size * Words];
    }

    public int Size { get; }

    /// <summary>Words per line, the zero padding word included.</summary>
    public int Words { get; }

    public ulong[] Rows { get; }

    public ulong[] Columns { get; }

    public ReadOnlySpan<ulong> Row(int y) => Rows.AsSpan(y * Words, Words);

    public ReadOnlySpan<ulong> Column(int x) => Columns.AsSpan(x * Words, Words);

    public bool IsDark(int x, int y) => ((Rows[(y * Words) + (x >> 6)] >> (x & 63)) & 1) != 0;

    public void SetDark(int x, int y)
    {
        Rows[(y * Words) + (x >> 6)] |= 1UL << (x & 63);
        Columns[(x * Words) + (y >> 6)] |= 1UL << (y & 63);
    }

    public void Set(int x, int y, bool dark)
    {
        if (dark)
        {
            SetDark(x, y);
            return;
        }
        Rows[(y * Words) + (x >> 6)] &= ~(1UL << (x & 63));
        Columns[(x * Words) + (y >> 6)] &= ~(1UL << (y & 63));
    }

    public void CopyFrom(QrModuleLines other)
    {
        other.Rows.CopyTo(Rows, 0);
        other.Columns.CopyTo(Columns, 0);
    }

    public int CountDark()
    {
        var dark = 0;
        foreach (var word in Rows)
        {
            dark += BitOperations.PopCount(word);
        }
        return dark;
    }
}
