using Custodian.Labels.Qr;

namespace Custodian.Labels;

/// <summary>
/// An immutable QR code's dark modules, quiet zone included (4 light modules on each side), as a square of booleans
/// so drawing reads them by index.
/// </summary>
internal sealed class QrModules
{
    /// <summary>Light modules around the symbol, as ISO/IEC 18004 requires.</summary>
    public const int QuietZone = 4;

    // A maker's tools draw the PNG and then the SVG of the same device on the same thread: the last code encoded on
    // each thread is kept for the second. Only one, so nothing accumulates; the text holds the claim code, which the
    // caller holds anyway.
    [ThreadStatic]
    private static QrModules? _lastEncoded;

    private readonly bool[] _dark;

    private QrModules(string text, int size, bool[] dark)
    {
        Text = text;
        Size = size;
        _dark = dark;
    }

    /// <summary>What the code says.</summary>
    public string Text { get; }

    /// <summary>Modules per side, quiet zone included.</summary>
    public int Size { get; }

    public bool IsDark(int x, int y) => _dark[(y * Size) + x];

    /// <summary>
    /// The runs of dark modules in row <paramref name="y"/>, left to right, as (first column, length): both drawings
    /// draw a run at once rather than module by module.
    /// </summary>
    public IEnumerable<(int Start, int Length)> DarkRuns(int y)
    {
        for (var x = 0; x < Size;)
        {
            if (!IsDark(x, y))
            {
                x++;
                continue;
            }
            var start = x;
            while (x < Size && IsDark(x, y))
            {
                x++;
            }
            yield return (start, x - start);
        }
    }

    /// <summary>
    /// Encodes with error correction M, as the CLI's and the server's labels always have; text beyond ASCII is marked
    /// as UTF-8 (an ECI header), since unmarked bytes are read as Latin-1 or Shift JIS.
    /// </summary>
    public static QrModules Encode(string text)
    {
        if (_lastEncoded is { } last && string.Equals(last.Text, text, StringComparison.Ordinal))
        {
            return last;
        }
        var code = QrEncoder.Encode(text, QrErrorCorrection.M);
        var size = code.Size + (2 * QuietZone);
        var dark = new bool[size * size];
        for (var y = 0; y < code.Size; y++)
        {
            for (var x = 0; x < code.Size; x++)
            {
                dark[((y + QuietZone) * size) + x + QuietZone] = code.IsDark(x, y);
            }
        }
        return _lastEncoded = new QrModules(text, size, dark);
    }
}
