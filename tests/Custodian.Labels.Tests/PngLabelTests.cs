namespace Custodian.Labels.Tests;

/// <summary><see cref="DeviceLabel.Png"/>: scanned back by zbarimg, read back by an independent PNG reader.</summary>
public sealed class PngLabelTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("custodian-label-png-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [MemberData(nameof(Labels.Texts), MemberType = typeof(Labels))]
    public async Task The_png_scans_to_exactly_the_qr_text(string qrText, string devEui, string claimCode)
    {
        var png = DeviceLabel.Png(new LabelContent(qrText, devEui, claimCode));

        var path = Labels.Write(_directory, $"{devEui}.png", png);
        (await QrDecoder.DecodePngAsync(path)).Should().Be(qrText);
    }

    [Fact]
    public void The_png_is_valid_1_bit_grayscale_at_300_dpi_and_about_30_mm_wide()
    {
        var png = PngFile.Read(DeviceLabel.Png(Labels.Typical));

        png.Chunks.Select(c => c.Type).Should().Equal("IHDR", "pHYs", "IDAT", "IEND");
        var dpi = png.DotsPerInch()!.Value;
        dpi.X.Should().BeApproximately(300, 0.1);
        dpi.Y.Should().BeApproximately(300, 0.1);
        var widthMillimetres = png.Width / dpi.X * 25.4;
        widthMillimetres.Should().BeInRange(25, 35);
        png.Height.Should().BeGreaterThan(png.Width, "the text goes beneath the square QR code");
    }

    [Fact]
    public void The_quiet_zone_is_blank_and_the_text_beneath_it_is_drawn()
    {
        var layout = LabelLayout.Of(Labels.Typical);
        var png = PngFile.Read(DeviceLabel.Png(Labels.Typical));

        var quietZone = QrModules.QuietZone * layout.DotsPerModule;
        png.AnyDark(0, 0, png.Width, quietZone).Should().BeFalse("the top quiet zone");
        png.AnyDark(0, layout.QrDots - quietZone, png.Width, layout.QrDots).Should().BeFalse("the bottom quiet zone");
        png.AnyDark(0, layout.QrDots, png.Width, png.Height).Should().BeTrue("the DevEUI and claim code lines");
    }

    [Theory]
    [MemberData(nameof(Labels.Texts), MemberType = typeof(Labels))]
    public void The_text_reads_back_glyph_by_glyph_as_the_deveui_and_claim_code_lines(string qrText, string devEui, string claimCode)
    {
        var label = new LabelContent(qrText, devEui, claimCode);
        var layout = LabelLayout.Of(label);
        var png = PngFile.Read(DeviceLabel.Png(label));

        ReadLine(png, layout, layout.DeviceLineTop).Should().Be($"DevEUI {devEui}");
        ReadLine(png, layout, layout.ClaimLineTop).Should().Be($"Claim code {claimCode}");
        png.AnyDark(0, layout.ClaimLineTop + LabelLayout.TextHeight, png.Width, png.Height).Should().BeFalse("a blank bottom margin");
    }

    [Fact]
    public void Different_claim_codes_draw_different_text()
    {
        var one = Labels.Typical;
        var other = one with { QrText = one.QrText.Replace("OABCDEFGHJKLMNP23", "OABCDEFGHJKLMNP24", StringComparison.Ordinal), ClaimCode = "ABCDEFGHJKLMNP24" };
        var layout = LabelLayout.Of(one);
        var first = PngFile.Read(DeviceLabel.Png(one));
        var second = PngFile.Read(DeviceLabel.Png(other));

        (first.Width, first.Height).Should().Be((second.Width, second.Height));
        var differences = 0;
        for (var y = layout.ClaimLineTop; y < first.Height; y++)
        {
            for (var x = 0; x < first.Width; x++)
            {
                differences += first.IsDark(x, y) != second.IsDark(x, y) ? 1 : 0;
            }
        }
        differences.Should().BeGreaterThan(0);
        ReadLine(second, layout, layout.ClaimLineTop).Should().Be("Claim code ABCDEFGHJKLMNP24");
    }

    [Fact]
    public void Labels_are_drawn_the_same_from_many_threads()
    {
        var expected = DeviceLabel.Png(Labels.Typical);

        var results = new byte[64][];
        Parallel.For(0, results.Length, i => results[i] = DeviceLabel.Png(Labels.Typical));

        results.Should().AllSatisfy(png => png.Should().Equal(expected));
    }

    /// <summary>Reads a line of the built-in font back from the pixels, one character cell at a time.</summary>
    private static string ReadLine(PngFile png, LabelLayout layout, int top)
    {
        var glyphs = BitmapFont.Characters.ToDictionary(c => BitmapFont.GlyphOf(new System.Text.Rune(c)));
        var scale = LabelLayout.FontScale;
        var advance = BitmapFont.Advance * scale;
        // The line is centred: find its first dark column, then step whole cells (a leading space would be lost).
        var left = Enumerable.Range(0, png.Width).First(x => png.AnyDark(x, top, x + 1, top + LabelLayout.TextHeight));
        var right = Enumerable.Range(0, png.Width).Last(x => png.AnyDark(x, top, x + 1, top + LabelLayout.TextHeight));
        var text = new System.Text.StringBuilder();
        for (var x = left; x <= right; x += advance)
        {
            var glyph = 0UL;
            for (var row = 0; row < BitmapFont.GlyphHeight; row++)
            {
                for (var column = 0; column < BitmapFont.GlyphWidth; column++)
                {
                    if (png.IsDark(x + (column * scale), top + (row * scale)))
                    {
                        glyph |= 1UL << ((row * BitmapFont.GlyphWidth) + column);
                    }
                }
            }
            text.Append(glyphs.TryGetValue(glyph, out var character) ? character : '?');
        }
        return text.ToString();
    }
}
