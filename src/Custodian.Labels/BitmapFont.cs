using System.Text;

namespace Custodian.Labels;

/// <summary>
/// A 5x7 dot font built in, because label machines often have no font files and the PNG must carry its text in
/// its pixels. It covers what labels print (digits, A-Z, the words of the captions, a little punctuation); any
/// other character is drawn as a hollow box, so a missing glyph shows instead of silently shortening a code.
/// Zero is slashed and one has a flag, so a claim code's 0/O and 1/I cannot be confused.
/// </summary>
internal static class BitmapFont
{
    public const int GlyphWidth = 5;
    public const int GlyphHeight = 7;

    /// <summary>One blank column between characters.</summary>
    public const int Advance = GlyphWidth + 1;

    /// <summary>Drawn for a character the font lacks.</summary>
    public static readonly ulong Placeholder = Parse("11111 10001 10001 10001 10001 10001 11111");

    // Rows top to bottom, '1' a dark dot.
    private static readonly (char Character, string Rows)[] Definitions =
    [
        (' ', "00000 00000 00000 00000 00000 00000 00000"),
        ('-', "00000 00000 00000 11111 00000 00000 00000"),
        ('.', "00000 00000 00000 00000 00000 01100 01100"),
        (':', "00000 01100 01100 00000 01100 01100 00000"),
        ('0', "01110 10001 10011 10101 11001 10001 01110"),
        ('1', "00100 01100 00100 00100 00100 00100 01110"),
        ('2', "01110 10001 00001 00010 00100 01000 11111"),
        ('3', "11111 00010 00100 00010 00001 10001 01110"),
        ('4', "00010 00110 01010 10010 11111 00010 00010"),
        ('5', "11111 10000 11110 00001 00001 10001 01110"),
        ('6', "00110 01000 10000 11110 10001 10001 01110"),
        ('7', "11111 00001 00010 00100 01000 01000 01000"),
        ('8', "01110 10001 10001 01110 10001 10001 01110"),
        ('9', "01110 10001 10001 01111 00001 00010 01100"),
        ('A', "01110 10001 10001 10001 11111 10001 10001"),
        ('B', "11110 10001 10001 11110 10001 10001 11110"),
        ('C', "01110 10001 10000 10000 10000 10001 01110"),
        ('D', "11100 10010 10001 10001 10001 10010 11100"),
        ('E', "11111 10000 10000 11110 10000 10000 11111"),
        ('F', "11111 10000 10000 11110 10000 10000 10000"),
        ('G', "01110 10001 10000 10111 10001 10001 01111"),
        ('H', "10001 10001 10001 11111 10001 10001 10001"),
        ('I', "01110 00100 00100 00100 00100 00100 01110"),
        ('J', "00111 00010 00010 00010 00010 10010 01100"),
        ('K', "10001 10010 10100 11000 10100 10010 10001"),
        ('L', "10000 10000 10000 10000 10000 10000 11111"),
        ('M', "10001 11011 10101 10101 10001 10001 10001"),
        ('N', "10001 10001 11001 10101 10011 10001 10001"),
        ('O', "01110 10001 10001 10001 10001 10001 01110"),
        ('P', "11110 10001 10001 11110 10000 10000 10000"),
        ('Q', "01110 10001 10001 10001 10101 10010 01101"),
        ('R', "11110 10001 10001 11110 10100 10010 10001"),
        ('S', "01111 10000 10000 01110 00001 00001 11110"),
        ('T', "11111 00100 00100 00100 00100 00100 00100"),
        ('U', "10001 10001 10001 10001 10001 10001 01110"),
        ('V', "10001 10001 10001 10001 10001 01010 00100"),
        ('W', "10001 10001 10001 10101 10101 10101 01010"),
        ('X', "10001 10001 01010 00100 01010 10001 10001"),
        ('Y', "10001 10001 10001 01010 00100 00100 00100"),
        ('Z', "11111 00001 00010 00100 01000 10000 11111"),
        ('a', "00000 00000 01110 00001 01111 10001 01111"),
        ('b', "10000 10000 10110 11001 10001 10001 11110"),
        ('c', "00000 00000 01110 10000 10000 10001 01110"),
        ('d', "00001 00001 01101 10011 10001 10001 01111"),
        ('e', "00000 00000 01110 10001 11111 10000 01110"),
        ('f', "00110 01001 01000 11100 01000 01000 01000"),
        ('h', "10000 10000 10110 11001 10001 10001 10001"),
        ('i', "00100 00000 01100 00100 00100 00100 01110"),
        ('k', "10000 10000 10010 10100 11000 10100 10010"),
        ('l', "01100 00100 00100 00100 00100 00100 01110"),
        ('m', "00000 00000 11010 10101 10101 10001 10001"),
        ('n', "00000 00000 10110 11001 10001 10001 10001"),
        ('o', "00000 00000 01110 10001 10001 10001 01110"),
        ('r', "00000 00000 10110 11001 10000 10000 10000"),
        ('s', "00000 00000 01110 10000 01110 00001 11110"),
        ('t', "01000 01000 11100 01000 01000 01001 00110"),
        ('u', "00000 00000 10001 10001 10001 10011 01101"),
        ('v', "00000 00000 10001 10001 10001 01010 00100"),
        ('w', "00000 00000 10001 10001 10101 10101 01010"),
        ('x', "00000 00000 10001 01010 00100 01010 10001"),
        ('z', "00000 00000 11111 00010 00100 01000 11111"),
    ];

    // Indexed by character code; the font is ASCII only, so a table beats a dictionary on the hot path.
    private static readonly ulong?[] Glyphs = BuildTable();

    /// <summary>The characters the font draws, for tests and for callers that want to check text first.</summary>
    public static IEnumerable<char> Characters => Definitions.Select(d => d.Character);

    public static bool HasGlyph(Rune character) => character.Value < Glyphs.Length && Glyphs[character.Value] is not null;

    /// <summary>The glyph's dots, bit <c>row * 5 + column</c> set for a dark dot; the placeholder if there is none.</summary>
    public static ulong GlyphOf(Rune character) =>
        character.Value < Glyphs.Length ? Glyphs[character.Value] ?? Placeholder : Placeholder;

    public static bool IsDot(ulong glyph, int column, int row) => (glyph & (1UL << ((row * GlyphWidth) + column))) != 0;

    /// <summary>Width in font pixels: one cell per character (a Unicode scalar, so an emoji is one box, not two).</summary>
    public static int MeasureWidth(string text)
    {
        var characters = text.EnumerateRunes().Count();
        return characters == 0 ? 0 : (characters * Advance) - 1;
    }

    /// <summary>Draws <paramref name="text"/> with its top-left at (<paramref name="left"/>, <paramref name="top"/>), each font pixel <paramref name="scale"/> dots square.</summary>
    public static void Draw(MonochromeImage image, int left, int top, string text, int scale)
    {
        var x = left;
        foreach (var character in text.EnumerateRunes())
        {
            var glyph = GlyphOf(character);
            for (var row = 0; row < GlyphHeight; row++)
            {
                for (var column = 0; column < GlyphWidth; column++)
                {
                    if (IsDot(glyph, column, row))
                    {
                        image.Darken(x + (column * scale), top + (row * scale), scale, scale);
                    }
                }
            }
            x += Advance * scale;
        }
    }

    private static ulong?[] BuildTable()
    {
        var table = new ulong?[128];
        foreach (var (character, rows) in Definitions)
        {
            table[character] = Parse(rows);
        }
        return table;
    }

    private static ulong Parse(string rows)
    {
        var bits = rows.Replace(" ", "", StringComparison.Ordinal);
        if (bits.Length != GlyphWidth * GlyphHeight)
        {
            throw new InvalidOperationException($"A glyph is {GlyphWidth}x{GlyphHeight} dots: '{rows}'.");
        }
        var glyph = 0UL;
        for (var i = 0; i < bits.Length; i++)
        {
            if (bits[i] == '1')
            {
                glyph |= 1UL << i;
            }
        }
        return glyph;
    }
}
