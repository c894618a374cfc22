using Custodian.Testing;

namespace Custodian.Cli.Tests;

/// <summary>
/// Renders with the real CLI entry point and reads the image back with zbarimg, a decoder that
/// shares no code with QRCoder: the text it finds must be exactly the text given.
/// </summary>
public sealed class QrRenderDecodeTests : IDisposable
{
    private const string Final = "LW:D0:70B3D57ED0000010:0018B20000000101:000AF8BE:O0123456789ABCDEF:SSN-000101:PPROP-42";
    private const string Draft3 = "URN:DEV:LW:70B3D57ED0000010_0018B20000000101_000AF8BE_V0102_SSERIAL42";
    private const string Draft2 = "URN:LW:DP:70B3D57ED0000010:0018B20000000101:000AF8BE:%V0102%SSERIAL42";
    private const string BareDevEui = "0018B20000000101";
    private const string NonAsciiSerial = "LW:D0:70B3D57ED0000010:0018B20000000101:000AF8BE:O0102:S東京-Zürich-0001";

    // A 32-character owner token and a 64-character serial, with a proprietary part: 163 characters.
    private const string OwnerToken32 = "9F86D081884C7D659A2FEAA0C55AD015";
    private const string Serial64 = "CUSTODIAN-FACTORY-7-LINE-3-BATCH-20250601-UNIT-000000000101-REV-";
    private const string Long = "LW:D0:70B3D57ED0000010:0018B20000000101:000AF8BE:O" + OwnerToken32 + ":S" + Serial64 + ":PHW2.1+FW1.4.0";

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("custodian-qr-decode-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public void The_long_text_has_the_intended_lengths()
    {
        OwnerToken32.Should().HaveLength(32);
        Serial64.Should().HaveLength(64);
        CliRun.Of("qr", "parse", Long).ExitCode.Should().Be(0);
    }

    public static TheoryData<string, string> Renderings => new MatrixTheoryData<string, string>(
        [Final, Draft3, Draft2, BareDevEui, Long, NonAsciiSerial],
        ["png", "svg"]);

    [Theory]
    [MemberData(nameof(Renderings))]
    public async Task Label_decodes_to_the_text_given(string text, string extension)
    {
        var file = PathOf("device." + extension);

        var run = CliRun.Of("qr", "render", text, "--out", file);

        run.ExitCode.Should().Be(0, run.Error);
        var png = extension == "svg" ? await QrDecoder.SvgToPngAsync(file) : file;
        (await QrDecoder.DecodePngAsync(png)).Should().Be(text);
    }

    private string PathOf(string name) => Path.Combine(_directory.FullName, name);
}
