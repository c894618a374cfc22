using System.Text.Json;
using SkiaSharp;

namespace Custodian.Cli.Tests;

/// <summary>
/// <c>custodian qr decode</c>: images drawn by <c>qr render</c>, and a JPEG made to look like a phone's photo of a
/// label (turned, scaled, on grey paper with noise), read back to the text that was drawn.
/// </summary>
public sealed class QrDecodeCommandTests : IDisposable
{
    private const string Text = "LW:D0:70B3D57ED0000010:0018B20000000101:000AF8BE:O0123456789ABCDEF:SSN-000101";

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("custodian-qr-decode-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public void A_rendered_png_prints_its_text_then_its_fields()
    {
        var png = Render(Text, "device.png");

        var run = CliRun.Of("qr", "decode", png);

        run.ExitCode.Should().Be(0, run.Error);
        run.Error.Should().BeEmpty();
        var parsed = CliRun.Of("qr", "parse", Text).Out.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        var lines = run.Out.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().Be("Text:                  " + Text);
        // The same fields and values as qr parse prints, aligned with the text line.
        lines.Skip(1).Select(Collapse).Should().Equal(parsed.Select(Collapse));
        lines.Should().Contain("DevEUI:                0018B20000000101").And.Contain("Serial:                SN-000101");
    }

    [Fact]
    public void Json_is_the_text_and_the_fields_qr_parse_finds()
    {
        var png = Render(Text, "device.png");

        var run = CliRun.Of("qr", "decode", png, "--json");

        run.ExitCode.Should().Be(0, run.Error);
        using var decoded = JsonDocument.Parse(run.Out);
        using var parsed = JsonDocument.Parse(CliRun.Of("qr", "parse", Text, "--json").Out);
        var fields = decoded.RootElement.EnumerateObject().Select(p => (p.Name, p.Value.GetString())).ToList();
        fields[0].Should().Be(("text", Text));
        fields.Skip(1).Should().Equal(parsed.RootElement.EnumerateObject().Select(p => (p.Name, p.Value.GetString())));
    }

    [Fact]
    public void A_jpeg_photo_of_a_label_decodes()
    {
        var photo = PathOf("photo.jpg");
        WritePhoto(Render(Text, "label.png"), photo);

        var run = CliRun.Of("qr", "decode", photo, "--json");

        run.ExitCode.Should().Be(0, run.Error);
        using var json = JsonDocument.Parse(run.Out);
        json.RootElement.GetProperty("text").GetString().Should().Be(Text);
        json.RootElement.GetProperty("devEui").GetString().Should().Be("0018B20000000101");
        File.ReadAllBytes(photo).Take(3).Should().Equal(0xFF, 0xD8, 0xFF);
    }

    [Fact]
    public void A_code_that_is_not_a_device_code_shows_its_text_and_fails()
    {
        var png = Render("https://example.com/not-a-device", "url.png", raw: true);

        var run = CliRun.Of("qr", "decode", png);
        var json = CliRun.Of("qr", "decode", png, "--json");

        run.ExitCode.Should().Be(1);
        run.Out.Should().Be("Text: https://example.com/not-a-device" + Environment.NewLine);
        run.Error.Should().StartWith("The QR code is not a TR005 device code:");
        json.ExitCode.Should().Be(1);
        json.Out.Should().Be("""{"text":"https://example.com/not-a-device"}""" + Environment.NewLine);
    }

    [Fact]
    public void An_image_without_a_code_fails_with_a_clear_message()
    {
        var blank = PathOf("blank.png");
        using (var bitmap = new SKBitmap(400, 300))
        {
            bitmap.Erase(new SKColor(0xC8, 0xC8, 0xC8));
            Save(bitmap, blank, SKEncodedImageFormat.Png, 100);
        }

        var run = CliRun.Of("qr", "decode", blank);

        run.ExitCode.Should().Be(1);
        run.Out.Should().BeEmpty();
        run.Error.Should().Be($"Cannot read a QR code: no QR code found in {blank}." + Environment.NewLine);
    }

    [Fact]
    public void A_file_that_is_not_an_image_or_not_there_fails()
    {
        var notImage = PathOf("devices.csv");
        File.WriteAllText(notImage, "devEui,joinEui\n0018B20000000101,70B3D57ED0000010\n");

        var run = CliRun.Of("qr", "decode", notImage);
        var missing = CliRun.Of("qr", "decode", PathOf("missing.png"));

        run.ExitCode.Should().Be(1);
        run.Error.Should().Contain("is not an image").And.Contain(notImage);
        missing.ExitCode.Should().Be(1);
        missing.Error.Should().Contain("no such file");
    }

    private string Render(string text, string name, bool raw = false)
    {
        var file = PathOf(name);
        var run = CliRun.Of(["qr", "render", text, "--out", file, .. raw ? new[] { "--raw" } : []]);
        run.ExitCode.Should().Be(0, run.Error);
        return file;
    }

    /// <summary>
    /// The label as a phone might see it: turned 7°, enlarged 1.6×, off-centre on grey, uneven paper with
    /// speckle noise, saved as a lossy JPEG.
    /// </summary>
    private static void WritePhoto(string labelPng, string photo)
    {
        using var label = SKBitmap.Decode(labelPng);
        using var bitmap = new SKBitmap(1280, 960);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(new SKColor(0x80, 0x80, 0x80));
            canvas.Translate(560, 500);
            canvas.RotateDegrees(7);
            canvas.Scale(1.6f);
            using var tint = new SKPaint { ColorFilter = SKColorFilter.CreateBlendMode(new SKColor(0xE0, 0xDC, 0xD0), SKBlendMode.Multiply) };
            using var image = SKImage.FromBitmap(label);
            canvas.DrawImage(image, -label.Width / 2f, -label.Height / 2f, new SKSamplingOptions(SKFilterMode.Linear), tint);
        }
        AddNoise(bitmap, seed: 6);
        Save(bitmap, photo, SKEncodedImageFormat.Jpeg, 75);
    }

    private static void AddNoise(SKBitmap bitmap, int seed)
    {
        var random = new Random(seed);
        for (var y = 0; y < bitmap.Height; y++)
        {
            for (var x = 0; x < bitmap.Width; x++)
            {
                var pixel = bitmap.GetPixel(x, y);
                var noise = random.Next(-24, 25);
                bitmap.SetPixel(x, y, new SKColor(Clamp(pixel.Red + noise), Clamp(pixel.Green + noise), Clamp(pixel.Blue + noise)));
            }
        }
    }

    private static byte Clamp(int value) => (byte)Math.Clamp(value, 0, 255);

    private static void Save(SKBitmap bitmap, string path, SKEncodedImageFormat format, int quality)
    {
        using var data = bitmap.Encode(format, quality);
        File.WriteAllBytes(path, data.ToArray());
    }

    /// <summary>"Label:   value" → "Label: value": qr decode aligns to its longer "Text" set of labels.</summary>
    private static string Collapse(string line) => string.Join(' ', line.Split(' ', StringSplitOptions.RemoveEmptyEntries));

    private string PathOf(string name) => Path.Combine(_directory.FullName, name);
}
