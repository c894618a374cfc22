using System.Globalization;
using System.Text;

namespace Custodian.Labels;

/// <summary>
/// A QR code alone, with its 4-module quiet zone and no text beneath (<c>custodian qr render</c>): error correction
/// M and UTF-8 marking as on the labels, a module drawn as a square of the given number of pixels (or SVG units).
/// </summary>
public static class QrImage
{
    private const int DotsPerInch = 300;

    /// <summary>A 1-bit grayscale PNG.</summary>
    public static byte[] Png(string text, int dotsPerModule)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dotsPerModule);
        var qr = QrModules.Encode(text);
        var side = qr.Size * dotsPerModule;
        using var image = new MonochromeImage(side, side);
        DeviceLabel.DrawQr(image, qr, left: 0, dotsPerModule);
        return PngEncoder.Encode(image, DotsPerInch);
    }

    /// <summary>An SVG of one path of horizontal runs (crisp edges) on a white square.</summary>
    public static string Svg(string text, int dotsPerModule)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dotsPerModule);
        var qr = QrModules.Encode(text);
        var side = qr.Size * dotsPerModule;
        var svg = new StringBuilder(256 + (qr.Size * qr.Size * 3));
        svg.Append(CultureInfo.InvariantCulture, $"""<svg xmlns="http://www.w3.org/2000/svg" width="{side}" height="{side}" viewBox="0 0 {side} {side}">""");
        svg.Append('\n');
        svg.Append(CultureInfo.InvariantCulture, $"""<rect width="{side}" height="{side}" fill="#fff"/>""");
        svg.Append('\n');
        svg.Append(CultureInfo.InvariantCulture, $"""<path fill="#000" shape-rendering="crispEdges" transform="scale({dotsPerModule})" """);
        svg.Append("d=\"");
        SvgLabel.AppendModules(svg, qr);
        svg.Append("\"/>\n</svg>\n");
        return svg.ToString();
    }
}
