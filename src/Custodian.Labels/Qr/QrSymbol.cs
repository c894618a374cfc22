namespace Custodian.Labels.Qr;

/// <summary>An encoded QR code symbol: its modules without the quiet zone, and what was chosen to draw them.</summary>
internal sealed class QrSymbol
{
    private readonly bool[] _dark;

    public QrSymbol(int version, QrErrorCorrection errorCorrection, int mask, bool[] dark)
    {
        Version = version;
        ErrorCorrection = errorCorrection;
        Mask = mask;
        Size = (version * 4) + 17;
        _dark = dark.Length == Size * Size
            ? dark
            : throw new ArgumentException($"A version {version} symbol has {Size * Size} modules.", nameof(dark));
    }

    public int Version { get; }

    public QrErrorCorrection ErrorCorrection { get; }

    /// <summary>The data mask (0–7) applied, as the format information names it.</summary>
    public int Mask { get; }

    /// <summary>Modules per side, quiet zone not included.</summary>
    public int Size { get; }

    public bool IsDark(int x, int y) => _dark[(y * Size) + x];
}
