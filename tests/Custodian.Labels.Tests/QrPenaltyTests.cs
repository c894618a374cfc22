using Custodian.Labels.Qr;

namespace Custodian.Labels.Tests;

/// <summary>The bit-parallel mask penalty against the rules written out module by module.</summary>
public sealed class QrPenaltyTests
{
    [Theory]
    [InlineData("LW:D0:70B3D57ED0000010:0018B20000000100:00000000:OSKB5C89VSHWQFTVI")]
    [InlineData("1")]
    [InlineData("https://example.com/a-rather-long-address/with/several/parts?and=a&query=string&that=goes&on=for&a=while&more=text")]
    public void The_score_of_every_mask_is_the_rules_score(string text)
    {
        foreach (var length in new[] { text.Length, Math.Min(text.Length * 4, 2000) })
        {
            var longer = string.Concat(Enumerable.Repeat(text, 4))[..length];
            for (var mask = 0; mask < QrMask.Count; mask++)
            {
                var code = QrEncoder.Encode(longer, QrErrorCorrection.M, mask);
                var lines = new QrModuleLines(code.Size);
                for (var y = 0; y < code.Size; y++)
                {
                    for (var x = 0; x < code.Size; x++)
                    {
                        lines.Set(x, y, code.IsDark(x, y));
                    }
                }

                QrPenalty.Score(lines).Should().Be(RulesScore(code), $"mask {mask} of version {code.Version}");
            }
        }
    }

    [Fact]
    public void The_chosen_mask_has_the_lowest_score_the_first_on_a_tie()
    {
        const string Text = "LW:D0:70B3D57ED0000010:0018B20000000100:00000000:OSKB5C89VSHWQFTVI";
        var scores = Enumerable.Range(0, QrMask.Count).Select(mask => RulesScore(QrEncoder.Encode(Text, QrErrorCorrection.M, mask))).ToList();

        QrEncoder.Encode(Text, QrErrorCorrection.M).Mask.Should().Be(scores.IndexOf(scores.Min()));
    }

    /// <summary>N1–N4 as <see cref="QrPenalty"/> documents them, one module at a time.</summary>
    private static int RulesScore(QrSymbol code)
    {
        var size = code.Size;
        bool Dark(int x, int y, bool transposed) => transposed ? code.IsDark(y, x) : code.IsDark(x, y);
        int runs = 0, blocks = 0, finders = 0, dark = 0;
        bool[] lightAfter = [true, false, true, true, true, false, true, false, false, false, false];
        bool[] lightBefore = [false, false, false, false, true, false, true, true, true, false, true];
        foreach (var transposed in new[] { false, true })
        {
            for (var line = 0; line < size; line++)
            {
                var run = 0;
                for (var i = 0; i < size; i++)
                {
                    run = i > 0 && Dark(i, line, transposed) == Dark(i - 1, line, transposed) ? run + 1 : 1;
                    runs += run == 5 ? 3 : run > 5 ? 1 : 0;
                }
                for (var i = 0; i + 11 <= size; i++)
                {
                    var window = Enumerable.Range(0, 11).Select(k => Dark(i + k, line, transposed)).ToArray();
                    finders += (window.SequenceEqual(lightAfter) ? 1 : 0) + (window.SequenceEqual(lightBefore) ? 1 : 0);
                }
            }
        }
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                dark += code.IsDark(x, y) ? 1 : 0;
                if (x + 1 < size && y + 1 < size && code.IsDark(x, y) == code.IsDark(x + 1, y)
                    && code.IsDark(x, y) == code.IsDark(x, y + 1) && code.IsDark(x, y) == code.IsDark(x + 1, y + 1))
                {
                    blocks++;
                }
            }
        }
        var steps = dark * 20 / (size * size);
        return runs + (3 * blocks) + (40 * finders) + (Math.Min(Math.Abs(steps - 10), Math.Abs(steps - 9)) * 10);
    }
}
