using System.Text;

namespace Custodian.Labels.Tests;

public sealed class BitmapFontTests
{
    private const string LabelCharacters = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ DevEUI Claim code";

    [Fact]
    public void Every_character_a_label_prints_has_its_own_glyph()
    {
        foreach (var character in LabelCharacters.EnumerateRunes())
        {
            BitmapFont.HasGlyph(character).Should().BeTrue($"'{character}' is printed on labels");
        }
        var glyphs = BitmapFont.Characters.Select(c => BitmapFont.GlyphOf(new Rune(c))).ToList();
        glyphs.Should().OnlyHaveUniqueItems("0 and O, 1 and I, 8 and B must not look alike on a claim code");
        glyphs.Should().NotContain(BitmapFont.Placeholder);
        glyphs.Count(g => g == 0).Should().Be(1, "only the space is blank");
    }

    [Theory]
    [InlineData("€")]
    [InlineData("é")]
    [InlineData("😀")]
    [InlineData("\u0007")]
    public void An_unsupported_character_is_drawn_as_a_visible_box_in_its_own_cell(string unsupported)
    {
        BitmapFont.HasGlyph(Rune.GetRuneAt(unsupported, 0)).Should().BeFalse();
        var text = $"A{unsupported}B";
        BitmapFont.MeasureWidth(text).Should().Be((3 * BitmapFont.Advance) - 1, "one cell per character, even outside the BMP");

        using var image = new MonochromeImage(BitmapFont.MeasureWidth(text), BitmapFont.GlyphHeight);
        BitmapFont.Draw(image, 0, 0, text, scale: 1);

        ReadCell(image, 1).Should().Be(BitmapFont.Placeholder);
        ReadCell(image, 0).Should().Be(BitmapFont.GlyphOf(new Rune('A')));
        ReadCell(image, 2).Should().Be(BitmapFont.GlyphOf(new Rune('B')), "the box does not shift what follows");
    }

    [Fact]
    public void Drawing_at_a_scale_makes_each_font_pixel_a_square()
    {
        using var image = new MonochromeImage(20, 30);
        BitmapFont.Draw(image, 1, 2, "L", scale: 3);

        // L: the left column and the bottom row.
        for (var y = 2; y < 2 + 21; y++)
        {
            image.IsDark(1, y).Should().BeTrue();
            image.IsDark(3, y).Should().BeTrue();
            image.IsDark(4, y).Should().Be(y >= 20);
        }
        image.IsDark(0, 10).Should().BeFalse();
        image.IsDark(1, 1).Should().BeFalse();
        image.IsDark(1, 23).Should().BeFalse();
    }

    private static ulong ReadCell(MonochromeImage image, int cell)
    {
        var glyph = 0UL;
        for (var row = 0; row < BitmapFont.GlyphHeight; row++)
        {
            for (var column = 0; column < BitmapFont.GlyphWidth; column++)
            {
                if (image.IsDark((cell * BitmapFont.Advance) + column, row))
                {
                    glyph |= 1UL << ((row * BitmapFont.GlyphWidth) + column);
                }
            }
        }
        return glyph;
    }
}
