using System.Globalization;
using System.Xml.Linq;

namespace Custodian.Labels.Tests;

/// <summary><see cref="DeviceLabel.Svg"/>: rasterised by rsvg-convert and scanned by zbarimg, and read as XML.</summary>
public sealed class SvgLabelTests : IDisposable
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private readonly string _directory = Directory.CreateTempSubdirectory("custodian-label-svg-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [MemberData(nameof(Labels.Texts), MemberType = typeof(Labels))]
    public async Task The_svg_rasterised_as_printed_at_300_dpi_scans_to_exactly_the_qr_text(string qrText, string devEui, string claimCode)
    {
        var path = await WriteAsync(new LabelContent(qrText, devEui, claimCode));

        (await QrDecoder.DecodePngAsync(await RasteriseAsync(path, dotsPerInch: 300))).Should().Be(qrText);
    }

    [Fact]
    public async Task A_typical_svg_also_scans_at_screen_resolution()
    {
        // rsvg-convert's default of 96 dpi, as a browser shows millimetres: a 30 mm QR code of version 4 is then
        // under 3 pixels a module, still readable. (The long texts need print resolution; stickers are printed.)
        var path = await WriteAsync(Labels.Typical);

        (await QrDecoder.DecodePngAsync(await QrDecoder.SvgToPngAsync(path))).Should().Be(Labels.Typical.QrText);
    }

    [Fact]
    public async Task The_svg_after_another_devices_png_shows_its_own_code()
    {
        // The library keeps the last QR code encoded on a thread for the SVG after the PNG: never the wrong one.
        var other = new LabelContent("LW:D0:70B3D57ED0000010:0018B20000000199:00000000:OOTHERCODE99", "0018B20000000199", "OTHERCODE99");
        DeviceLabel.Png(other);

        var path = await WriteAsync(Labels.Typical);

        (await QrDecoder.DecodePngAsync(await RasteriseAsync(path, dotsPerInch: 300))).Should().Be(Labels.Typical.QrText);
        DeviceLabel.Png(Labels.Typical).Should().Equal(DeviceLabel.Png(Labels.Typical));
    }

    [Fact]
    public void The_svg_prints_the_deveui_and_claim_code_as_monospace_text()
    {
        var svg = XDocument.Parse(DeviceLabel.Svg(Labels.Typical));

        var texts = svg.Root!.Elements(Svg + "text").ToList();
        texts.Select(t => t.Value).Should().Equal("DevEUI 0018B20000000101", "Claim code ABCDEFGHJKLMNP23");
        texts.Should().AllSatisfy(t => t.Attribute("font-family")!.Value.Should().Be("monospace"));
    }

    [Fact]
    public void The_svg_is_sized_in_millimetres_like_the_png_with_a_matching_viewbox()
    {
        var root = XDocument.Parse(DeviceLabel.Svg(Labels.Typical)).Root!;
        var png = PngFile.Read(DeviceLabel.Png(Labels.Typical));

        var width = Millimetres(root.Attribute("width")!.Value);
        var height = Millimetres(root.Attribute("height")!.Value);
        width.Should().BeInRange(25, 35);
        width.Should().BeApproximately(png.Width * 25.4 / 300, 0.01);
        height.Should().BeApproximately(png.Height * 25.4 / 300, 0.01);
        root.Attribute("viewBox")!.Value.Should().Be($"0 0 {png.Width} {png.Height}");
    }

    private async Task<string> WriteAsync(LabelContent label)
    {
        var path = Path.Combine(_directory, $"{label.DevEui}.svg");
        await File.WriteAllTextAsync(path, DeviceLabel.Svg(label), TestContext.Current.CancellationToken);
        return path;
    }

    private static async Task<string> RasteriseAsync(string svg, int dotsPerInch)
    {
        var png = Path.ChangeExtension(svg, $".{dotsPerInch}dpi.png");
        var dpi = dotsPerInch.ToString(CultureInfo.InvariantCulture);
        var run = await ExternalTool.RunAsync("rsvg-convert", "librsvg2-bin", "--dpi-x", dpi, "--dpi-y", dpi, "--format", "png", "--output", png, svg);
        run.ExitCode.Should().Be(0, $"rsvg-convert failed: {run.Error}");
        return png;
    }

    private static double Millimetres(string length)
    {
        length.Should().EndWith("mm");
        return double.Parse(length[..^2], CultureInfo.InvariantCulture);
    }
}
