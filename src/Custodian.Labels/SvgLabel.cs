using System.Globalization;
using System.Text;

namespace Custodian.Labels;

/// <summary>
/// The label as SVG, on the same 300 dpi grid as the PNG: a white sheet, the QR code as one path of horizontal
/// runs (crisp edges, so a rasteriser does not blur modules together), and the two lines as monospace text whose
/// size matches the PNG's built-in font. Width and height are in millimetres so it prints at sticker size.
/// </summary>
internal static class SvgLabel
{
    // A monospace font's advance is about 0.6 em; this makes it the PNG font's advance (12 dots), capitals ~14 dots.
    private static readonly int FontSize = (int)Math.Round(LabelLayout.CharacterAdvance / 0.6);

    public static string Render(LabelLayout layout)
    {
        var qr = layout.Qr;
        // The path takes about 2.5 characters a module (a run of ~16 characters every 6 or so modules).
        var svg = new StringBuilder(1024 + (qr.Size * qr.Size * 3));
        var invariant = CultureInfo.InvariantCulture;
        svg.Append(invariant, $"""<svg xmlns="http://www.w3.org/2000/svg" width="{LabelLayout.Millimetres(layout.Width):0.##}mm" height="{LabelLayout.Millimetres(layout.Height):0.##}mm" viewBox="0 0 {layout.Width} {layout.Height}">""");
        svg.Append('\n');
        svg.Append(invariant, $"""<rect width="{layout.Width}" height="{layout.Height}" fill="#fff"/>""");
        svg.Append('\n');
        svg.Append(invariant, $"""<path fill="#000" shape-rendering="crispEdges" transform="translate({layout.QrLeft} 0) scale({layout.DotsPerModule})" """);
        svg.Append("d=\"");
        AppendModules(svg, qr);
        svg.Append("\"/>\n");
        AppendLine(svg, layout, layout.DeviceLine, layout.DeviceLineTop);
        AppendLine(svg, layout, layout.ClaimLine, layout.ClaimLineTop);
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    internal static void AppendModules(StringBuilder svg, QrModules qr)
    {
        for (var y = 0; y < qr.Size; y++)
        {
            foreach (var (start, length) in qr.DarkRuns(y))
            {
                svg.Append('M').Append(start).Append(' ').Append(y).Append('h').Append(length).Append("v1h-").Append(length).Append('z');
            }
        }
    }

    private static void AppendLine(StringBuilder svg, LabelLayout layout, string line, int top)
    {
        // y is the baseline: the text has no descenders, so its capitals sit on the line's bottom.
        svg.Append(CultureInfo.InvariantCulture,
            $"""<text x="{layout.Width / 2}" y="{top + LabelLayout.TextHeight}" font-family="monospace" font-size="{FontSize}" text-anchor="middle" fill="#000">""");
        Markup.Append(svg, line);
        svg.Append("</text>\n");
    }
}
