using System.Buffers;

namespace Custodian.Labels;

/// <summary>
/// A black-and-white image kept exactly as a 1-bit grayscale PNG stores it before compression: each row a filter
/// byte (0, None) then 8 pixels a byte, most significant bit first, 1 white and 0 black. Drawing writes the PNG's
/// bytes directly, and the buffer is pooled, so a label costs no per-pixel work or allocation beyond its bits.
/// </summary>
internal sealed class MonochromeImage : IDisposable
{
    private byte[]? _rows;

    public MonochromeImage(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        Width = width;
        Height = height;
        Stride = 1 + ((width + 7) / 8);
        _rows = ArrayPool<byte>.Shared.Rent(Stride * height);
        var rows = _rows.AsSpan(0, Stride * height);
        rows.Fill(0xFF);
        for (var y = 0; y < height; y++)
        {
            rows[y * Stride] = 0; // filter type None
        }
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Bytes per row, the filter byte included.</summary>
    public int Stride { get; }

    /// <summary>The rows as a PNG's IDAT data holds them before zlib.</summary>
    public ReadOnlySpan<byte> Scanlines => Rows;

    private Span<byte> Rows => (_rows ?? throw new ObjectDisposedException(nameof(MonochromeImage))).AsSpan(0, Stride * Height);

    public bool IsDark(int x, int y) => (Rows[(y * Stride) + 1 + (x >> 3)] & (0x80 >> (x & 7))) == 0;

    /// <summary>Blackens a rectangle; parts outside the image are ignored.</summary>
    public void Darken(int left, int top, int width, int height)
    {
        var x0 = Math.Max(left, 0);
        var x1 = Math.Min(left + width, Width);
        var y0 = Math.Max(top, 0);
        var y1 = Math.Min(top + height, Height);
        if (x0 >= x1 || y0 >= y1)
        {
            return;
        }
        var rows = Rows;
        DarkenRun(rows.Slice((y0 * Stride) + 1, Stride - 1), x0, x1);
        for (var y = y0 + 1; y < y1; y++)
        {
            CopyBits(rows.Slice((y0 * Stride) + 1, Stride - 1), rows.Slice((y * Stride) + 1, Stride - 1), x0, x1);
        }
    }

    /// <summary>Makes row <paramref name="target"/> a copy of row <paramref name="source"/> (a QR module is several rows tall).</summary>
    public void CopyRow(int source, int target)
    {
        var rows = Rows;
        rows.Slice(source * Stride, Stride).CopyTo(rows.Slice(target * Stride, Stride));
    }

    public void Dispose()
    {
        if (_rows is { } rows)
        {
            _rows = null;
            ArrayPool<byte>.Shared.Return(rows);
        }
    }

    private static void DarkenRun(Span<byte> bits, int x0, int x1)
    {
        var x = x0;
        // Partial first byte, whole bytes, partial last byte.
        for (; x < x1 && (x & 7) != 0; x++)
        {
            bits[x >> 3] &= (byte)~(0x80 >> (x & 7));
        }
        var wholeBytes = (x1 - x) >> 3;
        if (wholeBytes > 0)
        {
            bits.Slice(x >> 3, wholeBytes).Clear();
            x += wholeBytes << 3;
        }
        for (; x < x1; x++)
        {
            bits[x >> 3] &= (byte)~(0x80 >> (x & 7));
        }
    }

    private static void CopyBits(ReadOnlySpan<byte> source, Span<byte> target, int x0, int x1)
    {
        for (var x = x0; x < x1; x++)
        {
            var mask = 0x80 >> (x & 7);
            target[x >> 3] = (byte)((target[x >> 3] & ~mask) | (source[x >> 3] & mask));
        }
    }
}
