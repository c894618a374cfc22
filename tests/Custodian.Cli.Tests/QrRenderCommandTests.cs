using System.Xml.Linq;
using QRCoder;

namespace Custodian.Cli.Tests;

public sealed class QrRenderCommandTests : IDisposable
{
    private const string Text = "LW:D0:70B3D57ED0000010:0018B20000000101:000AF8BE:O123456";

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("custodian-qr-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public void Writes_a_png_that_shows_the_code()
    {
        var file = PathOf("device.png");

        var run = CliRun.Of("qr", "render", Text, "--out", file);

        run.ExitCode.Should().Be(0, run.Error);
        var png = File.ReadAllBytes(file);
        png.Take(8).Should().Equal(0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A);
        // Read the pixels back and compare them with the modules QRCoder computes for the text;
        // QrRenderDecodeTests also decodes the images with an independent decoder (zbarimg).
        using var expected = QRCodeGenerator.GenerateQrCode(Text, QRCodeGenerator.ECCLevel.M);
        PngReader.ReadModules(png, expected.ModuleMatrix.Count).Should().BeEquivalentTo(
            expected.ModuleMatrix.Select(row => Enumerable.Range(0, row.Length).Select(i => row[i]).ToArray()),
            options => options.WithStrictOrdering());
    }

    [Fact]
    public void Writes_an_svg()
    {
        var file = PathOf("device.SVG");

        var run = CliRun.Of("qr", "render", "4242FFFFFFFFFFFF", "-o", file);

        run.ExitCode.Should().Be(0, run.Error);
        var svg = File.ReadAllText(file);
        svg.Should().Contain("<svg");
        XDocument.Parse(svg).Root!.Name.LocalName.Should().Be("svg");
    }

    [Fact]
    public void Refuses_text_that_is_not_a_device_code()
    {
        var file = PathOf("not-a-device.png");

        var run = CliRun.Of("qr", "render", "hello world", "--out", file);

        run.ExitCode.Should().Be(1);
        run.Error.Should().StartWith("Not a TR005 QR code: ");
        File.Exists(file).Should().BeFalse();
    }

    [Fact]
    public void Draws_any_text_with_raw()
    {
        var file = PathOf("any.png");

        var run = CliRun.Of("qr", "render", "hello world", "--out", file, "--raw");

        run.ExitCode.Should().Be(0, run.Error);
        File.Exists(file).Should().BeTrue();
    }

    [Theory]
    [InlineData("device.gif")]
    [InlineData("device")]
    public void Other_extensions_are_a_usage_error(string name)
    {
        var run = CliRun.Of("qr", "render", Text, "--out", PathOf(name));

        run.ExitCode.Should().Be(2);
        run.Error.Should().Contain("--out must end in .png or .svg");
        File.Exists(PathOf(name)).Should().BeFalse();
    }

    [Fact]
    public void Missing_out_is_a_usage_error()
    {
        CliRun.Of("qr", "render", Text).ExitCode.Should().Be(2);
    }

    [Fact]
    public void An_unwritable_path_exits_1()
    {
        var run = CliRun.Of("qr", "render", Text, "--out", PathOf("missing/dir/device.png"));

        run.ExitCode.Should().Be(1);
        run.Error.Should().StartWith("Cannot write ");
    }

    private string PathOf(string name) => Path.Combine(_directory.FullName, name);
}
