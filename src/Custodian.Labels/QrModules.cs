using System.Text;
using QRCoder;

namespace Custodian.Labels;

/// <summary>
/// An immutable QR code's dark modules, quiet zone included (QRCoder puts 4 light modules on each side), as a square of
/// booleans read once from QRCoder's bit arrays so drawing never goes back through them.
/// </summary>
internal sealed class QrModules
{
    /// <summary>Light modules around the symbol, as ISO/IEC 18004 requires and QRCoder draws.</summary>
    public const int QuietZone = 4;

    // Encoding is most of a label's cost (QRCoder tries all eight masks), and a maker's tools draw the PNG and
    // then the SVG of the same device on the same thread: the last code encoded on each thread is kept for the
    // second. Only one, so nothing accumulates; the text holds the claim code, which the caller holds anyway.
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

    /// <summary>Encodes with error correction M, as the CLI's and the server's labels always have.</summary>
    public static QrModules Encode(string text)
    {
        if (_lastEncoded is { } last && string.Equals(last.Text, text, StringComparison.Ordinal))
        {
            return last;
        }
        // Text beyond ASCII is marked as UTF-8 (an ECI header): unmarked bytes are read as Latin-1 or Shift JIS.
        var eciMode = Ascii.IsValid(text) ? QRCodeGenerator.EciMode.Default : QRCodeGenerator.EciMode.Utf8;
        using var data = QRCodeGenerator.GenerateQrCode(text, QRCodeGenerator.ECCLevel.M, eciMode: eciMode);
        var matrix = data.ModuleMatrix;
        var size = matrix.Count;
        var dark = new bool[size * size];
        for (var y = 0; y < size; y++)
        {
            var row = matrix[y];
            for (var x = 0; x < size; x++)
            {
                dark[(y * size) + x] = row[x];
            }
        }
        return _lastEncoded = new QrModules(text, size, dark);
    }
}
