namespace Custodian.Labels;

/// <summary>
/// A device's sticker for the maker to print: the TR005 QR code (error correction M, 4-module quiet zone) and
/// beneath it "DevEUI …" and "Claim code …" for whoever cannot scan. About 30 mm wide at 300 dpi; a longer claim
/// code or a larger QR code widens it. Thread-safe: nothing is shared between calls.
/// </summary>
public static class DeviceLabel
{
    /// <summary>A 1-bit grayscale PNG, 300 dpi, with the text drawn in its pixels by a built-in font.</summary>
    public static byte[] Png(LabelContent label)
    {
        ArgumentNullException.ThrowIfNull(label);
        var layout = LabelLayout.Of(label);
        using var image = new MonochromeImage(layout.Width, layout.Height);
        DrawQr(image, layout.Qr, layout.QrLeft, layout.DotsPerModule);
        BitmapFont.Draw(image, layout.TextLeft(layout.DeviceLine), layout.DeviceLineTop, layout.DeviceLine, LabelLayout.FontScale);
        BitmapFont.Draw(image, layout.TextLeft(layout.ClaimLine), layout.ClaimLineTop, layout.ClaimLine, LabelLayout.FontScale);
        return PngEncoder.Encode(image, LabelLayout.DotsPerInch);
    }

    /// <summary>The same label as SVG: size in millimetres, a viewBox in 300 dpi dots, the text as monospace <c>&lt;text&gt;</c>.</summary>
    public static string Svg(LabelContent label)
    {
        ArgumentNullException.ThrowIfNull(label);
        return SvgLabel.Render(LabelLayout.Of(label));
    }

    /// <summary>Draws <paramref name="qr"/> from the image's top, <paramref name="left"/> dots in, a module <paramref name="scale"/> dots square.</summary>
    internal static void DrawQr(MonochromeImage image, QrModules qr, int left, int scale)
    {
        for (var y = 0; y < qr.Size; y++)
        {
            var top = y * scale;
            // Draw each module row once, one dot high, then copy it down: a module is scale x scale dots.
            foreach (var (start, length) in qr.DarkRuns(y))
            {
                image.Darken(left + (start * scale), top, length * scale, 1);
            }
            for (var copy = 1; copy < scale; copy++)
            {
                image.CopyRow(top, top + copy);
            }
        }
    }
}
