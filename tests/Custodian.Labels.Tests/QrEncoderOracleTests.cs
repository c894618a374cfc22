using System.Text;
using Custodian.Labels.Qr;
using QRCoder;

namespace Custodian.Labels.Tests;

/// <summary>
/// Our encoder against QRCoder, which drew every label before it: the same text gives the same version, the same mask
/// and the same modules, quiet zone aside. The masks agree because <see cref="QrPenalty"/> reads the standard's
/// penalty rules where they leave room as QRCoder does; <see cref="QrPenaltyTests"/> checks the rules themselves.
/// </summary>
public sealed class QrEncoderOracleTests
{
    public static TheoryData<string, string> Texts()
    {
        var data = new TheoryData<string, string>();
        foreach (var (kind, text) in QrTexts.Generate())
        {
            data.Add(kind, text);
        }
        return data;
    }

    [Fact]
    public void The_generated_texts_are_many_and_of_every_kind()
    {
        var texts = QrTexts.Generate().ToList();
        texts.Should().HaveCountGreaterThan(300);
        texts.Select(t => t.Kind).Distinct().Should().Contain(["TR005", "ASCII", "digits", "alphanumeric", "non-ASCII"]);
        texts.Max(t => Encoding.UTF8.GetByteCount(t.Text)).Should().BeGreaterThanOrEqualTo(300);
    }

    [Theory]
    [MemberData(nameof(Texts))]
    public void Level_M_gives_the_same_code_as_QRCoder(string kind, string text)
    {
        _ = kind;
        var ours = QrEncoder.Encode(text, QrErrorCorrection.M);

        var theirs = Oracle(text, QRCodeGenerator.ECCLevel.M);
        ours.Size.Should().Be(theirs.Count - 8, "the same version");
        ours.Mask.Should().Be(OracleMask(theirs), "the same mask");
        Differences(ours, theirs).Should().BeEmpty();
    }

    /// <summary>Every version at every level, each filled to the last byte, and one byte more for the next version.</summary>
    [Theory]
    [InlineData("L")]
    [InlineData("M")]
    [InlineData("Q")]
    [InlineData("H")]
    public void Every_version_at_every_level_gives_the_same_code_as_QRCoder(string levelName)
    {
        var level = Enum.Parse<QrErrorCorrection>(levelName);
        var random = new Random(40 + (int)level);
        for (var version = 1; version <= 40; version++)
        {
            var countBits = version < 10 ? 8 : 16;
            var capacity = ((QrBlockStructure.Of(version, level).DataCodewords * 8) - 4 - countBits) / 8;
            var text = new string([.. Enumerable.Range(0, capacity).Select(_ => (char)random.Next('a', 'z' + 1))]);

            var ours = QrEncoder.Encode(text, level);
            ours.Version.Should().Be(version);
            var theirs = Oracle(text, level switch
            {
                QrErrorCorrection.L => QRCodeGenerator.ECCLevel.L,
                QrErrorCorrection.M => QRCodeGenerator.ECCLevel.M,
                QrErrorCorrection.Q => QRCodeGenerator.ECCLevel.Q,
                _ => QRCodeGenerator.ECCLevel.H,
            });
            ours.Mask.Should().Be(OracleMask(theirs), $"version {version}-{level} chooses the same mask");
            Differences(ours, theirs).Should().BeEmpty($"version {version}-{level}");

            if (version < 40)
            {
                QrEncoder.Encode(text + "a", level).Version.Should().Be(version + 1);
            }
        }
    }

    [Fact]
    public void A_forced_mask_changes_only_the_data_area_and_the_format_information()
    {
        const string Text = "LW:D0:70B3D57ED0000010:0018B20000000100:00000000:OSKB5C89VSHWQFTVI";
        var codes = Enumerable.Range(0, QrMask.Count).Select(mask => QrEncoder.Encode(Text, QrErrorCorrection.M, mask)).ToList();
        var template = QrTemplate.For(codes[0].Version);

        for (var mask = 0; mask < QrMask.Count; mask++)
        {
            codes[mask].Mask.Should().Be(mask);
            for (var y = 0; y < template.Size; y++)
            {
                for (var x = 0; x < template.Size; x++)
                {
                    // Unmasking any code gives back the same data modules; function modules never change.
                    var unmasked = codes[mask].IsDark(x, y) ^ (template.DataArea.IsDark(x, y) && QrMask.Inverts(mask, x, y));
                    var reference = codes[0].IsDark(x, y) ^ (template.DataArea.IsDark(x, y) && QrMask.Inverts(0, x, y));
                    if (!template.FormatPositions.Any(p => (p.X1 == x && p.Y1 == y) || (p.X2 == x && p.Y2 == y)))
                    {
                        unmasked.Should().Be(reference, $"module ({x}, {y}) under mask {mask}");
                    }
                }
            }
        }
    }

    [Fact]
    public void A_text_too_long_for_version_40_is_refused()
    {
        var act = () => QrEncoder.Encode(new string('a', 2332), QrErrorCorrection.M);
        act.Should().Throw<ArgumentException>();
        QrEncoder.Encode(new string('a', 2331), QrErrorCorrection.M).Version.Should().Be(40);
    }

    [Theory]
    [InlineData("M", 0, 0b101010000010010)]
    [InlineData("L", 4, 0b110011000101111)]
    [InlineData("H", 7, 0b000100000111011)]
    public void Format_information_matches_the_standards_table(string level, int mask, int expected) =>
        QrEncoder.FormatInformation(Enum.Parse<QrErrorCorrection>(level), mask).Should().Be(expected);

    /// <summary>QRCoder exactly as QrModules called it: the UTF-8 ECI for text beyond ASCII.</summary>
    private static List<System.Collections.BitArray> Oracle(string text, QRCodeGenerator.ECCLevel level)
    {
        var eciMode = Ascii.IsValid(text) ? QRCodeGenerator.EciMode.Default : QRCodeGenerator.EciMode.Utf8;
        using var data = QRCodeGenerator.GenerateQrCode(text, level, eciMode: eciMode);
        return [.. data.ModuleMatrix.Select(row => new System.Collections.BitArray(row))];
    }

    /// <summary>The mask named by the first copy of the format information (bits 10–12 after unmasking with 0x5412).</summary>
    private static int OracleMask(List<System.Collections.BitArray> matrix)
    {
        var template = QrTemplate.For(((matrix.Count - 8) - 17) / 4);
        var format = 0;
        for (var i = 0; i < 15; i++)
        {
            var (x, y, _, _) = template.FormatPositions[i];
            format |= (matrix[y + 4][x + 4] ? 1 : 0) << i;
        }
        return ((format ^ 0x5412) >> 10) & 7;
    }

    private static List<string> Differences(QrSymbol ours, List<System.Collections.BitArray> theirs)
    {
        var differences = new List<string>();
        for (var y = 0; y < ours.Size; y++)
        {
            for (var x = 0; x < ours.Size; x++)
            {
                if (ours.IsDark(x, y) != theirs[y + 4][x + 4])
                {
                    differences.Add($"({x}, {y})");
                }
            }
        }
        return differences;
    }
}
