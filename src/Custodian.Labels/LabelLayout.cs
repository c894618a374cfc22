namespace Custodian.Labels;

/// <summary>
/// Where everything on a label goes, in dots of a 300 dpi label printer: the QR code on top with its quiet zone,
/// then the DevEUI line and the claim code line, centred. The PNG draws these dots; the SVG uses them as its
/// user units (and states the size in millimetres), so both print alike.
/// </summary>
internal sealed class LabelLayout
{
    public const int DotsPerInch = 300;

    /// <summary>About 30 mm: a common small sticker. A QR code gets the most whole dots per module that fit.</summary>
    private const int TargetQrDots = 354;

    /// <summary>Below 2 dots a module, a label printer's dot gain starts to merge modules.</summary>
    private const int MinDotsPerModule = 2;

    /// <summary>Font pixels are 2x2 dots: letters 14 dots (1.2 mm) high, about a 6 pt type, still readable.</summary>
    public const int FontScale = 2;

    private const int LineGap = 8;
    private const int SideMargin = 16;
    private const int BottomMargin = 16;

    private LabelLayout(QrModules qr, string deviceLine, string claimLine)
    {
        Qr = qr;
        DeviceLine = deviceLine;
        ClaimLine = claimLine;
        DotsPerModule = Math.Max(MinDotsPerModule, TargetQrDots / qr.Size);
        QrDots = qr.Size * DotsPerModule;
        var textWidth = Math.Max(TextWidth(deviceLine), TextWidth(claimLine));
        Width = Math.Max(QrDots, textWidth + (2 * SideMargin));
        QrLeft = (Width - QrDots) / 2;
        // The QR code's own quiet zone (4 modules) separates it from the text: nothing may be drawn in it.
        DeviceLineTop = QrDots;
        ClaimLineTop = DeviceLineTop + TextHeight + LineGap;
        Height = ClaimLineTop + TextHeight + BottomMargin;
    }

    public QrModules Qr { get; }

    public string DeviceLine { get; }

    public string ClaimLine { get; }

    public int DotsPerModule { get; }

    public int QrDots { get; }

    public int QrLeft { get; }

    public int Width { get; }

    public int Height { get; }

    public int DeviceLineTop { get; }

    public int ClaimLineTop { get; }

    /// <summary>Height of a line of capitals and digits (no label text has descenders).</summary>
    public static int TextHeight => BitmapFont.GlyphHeight * FontScale;

    /// <summary>The advance of one character, which the SVG's monospace font size is chosen to match.</summary>
    public static int CharacterAdvance => BitmapFont.Advance * FontScale;

    public static LabelLayout Of(LabelContent label) =>
        new(QrModules.Encode(label.QrText), $"DevEUI {label.DevEui}", $"Claim code {label.ClaimCode}");

    public static int TextWidth(string line) => BitmapFont.MeasureWidth(line) * FontScale;

    public int TextLeft(string line) => (Width - TextWidth(line)) / 2;

    public static double Millimetres(int dots) => dots * 25.4 / DotsPerInch;
}
