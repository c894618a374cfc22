namespace Custodian.Testing;

/// <summary>
/// Reads QR images back with an independent decoder, zbarimg (zbar-tools), and turns SVG into
/// PNG for it with rsvg-convert (librsvg2-bin); ./test.sh installs both.
/// </summary>
internal static class QrDecoder
{
    /// <summary>The text of the one QR code in a PNG file.</summary>
    public static async Task<string> DecodePngAsync(string png)
    {
        // --raw prints each symbol's text alone, each followed by a newline ("QR-Code:" prefix
        // without it). Exit code 0: at least one symbol; 4: none found; 1: unreadable image.
        // Even with --quiet, zbar 0.23 may print D-Bus "Connection Error" lines on stderr when
        // there is no system bus, so stderr is only shown, never checked.
        var run = await ExternalTool.RunAsync("zbarimg", "zbar-tools", "--quiet", "--raw", png);
        run.ExitCode.Should().Be(0, $"zbarimg exits 0 only when it finds a code (4: none found, 1: bad image); stderr: {run.Error}");
        run.Out.Should().EndWith("\n");
        // Two symbols would leave a newline inside, which no expected text has.
        return run.Out[..^1];
    }

    /// <summary>Rasterises an SVG file to a PNG file beside it, returning the PNG's path.</summary>
    public static async Task<string> SvgToPngAsync(string svg)
    {
        var png = Path.ChangeExtension(svg, ".from-svg.png");
        var run = await ExternalTool.RunAsync("rsvg-convert", "librsvg2-bin", "--format", "png", "--output", png, svg);
        run.ExitCode.Should().Be(0, $"rsvg-convert failed: {run.Error}");
        File.Exists(png).Should().BeTrue();
        return png;
    }
}
