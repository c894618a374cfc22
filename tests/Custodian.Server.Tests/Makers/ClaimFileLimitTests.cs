using Custodian.ClaimFiles;

namespace Custodian.Server.Tests.Makers;

/// <summary>
/// Security review 2, finding 7 (the reader): a CSV line had no length limit and every separator made a string, so
/// one 16 MB line cost the server hundreds of MB. A record is now bounded in characters and fields, with its line.
/// </summary>
public sealed class ClaimFileLimitTests
{
    private const string Header = "dev_eui;join_eui;claim_authentication_code\n";

    [Fact]
    public void A_line_longer_than_the_cap_fails_with_its_line_number()
    {
        var csv = Header + "0004A30B001C0530;70B3D57ED0000000;CODE1234\n" + new string(';', CsvRecordReader.MaxRecordLength + 1) + "\n";

        var read = () => Read(csv);

        read.Should().Throw<ClaimFileException>().WithMessage($"line 3: a record is longer than {CsvRecordReader.MaxRecordLength} characters");
    }

    [Fact]
    public void A_record_of_too_many_fields_fails_with_its_line_number()
    {
        var csv = Header + "\n" + string.Join(',', Enumerable.Repeat("x", CsvRecordReader.MaxFields + 1)).Replace(',', ';') + "\n";

        var read = () => Read(csv);

        read.Should().Throw<ClaimFileException>().WithMessage($"line 3: a record has more than {CsvRecordReader.MaxFields} fields");
    }

    [Fact]
    public void A_quoted_field_over_many_lines_is_bounded_by_the_same_cap_and_names_the_line_it_opened_on()
    {
        var lines = string.Concat(Enumerable.Repeat(new string('a', 1000) + "\n", 100));
        var csv = Header + "0004A30B001C0530;70B3D57ED0000000;\"" + lines + "\"\n";

        var read = () => Read(csv);

        read.Should().Throw<ClaimFileException>().WithMessage("line 2: a record is longer than*");
    }

    [Fact]
    public void A_header_line_without_end_is_refused_after_the_cap_not_read_forever()
    {
        using var endless = new EndlessReader();

        var open = () => CsvRecordReader.OpenWithHeader(endless);

        open.Should().Throw<ClaimFileException>().WithMessage("line 1: a record is longer than*");
        endless.CharactersRead.Should().BeLessThanOrEqualTo(CsvRecordReader.MaxRecordLength + 1);
    }

    [Fact]
    public void A_record_line_without_end_is_refused_after_the_cap()
    {
        using var endless = new EndlessReader(Header);
        var (_, records) = CsvRecordReader.OpenWithHeader(endless)!.Value;

        var read = () => records.TryRead([]);

        read.Should().Throw<ClaimFileException>().WithMessage("line 2: a record is longer than*");
    }

    [Fact]
    public void Rows_at_the_limits_are_still_read()
    {
        var longCode = new string('A', 32);
        var wide = "0004A30B001C0530;70B3D57ED0000000;" + longCode + new string(';', CsvRecordReader.MaxFields - 3);
        var csv = Header + wide + "\r\n0004A30B001C0531;70B3D57ED0000000;CODE1234\r" + "0004A30B001C0532;70B3D57ED0000000;CODE1235";

        var rows = Read(csv);

        rows.Select(r => (r.Line, r.DevEui)).Should().Equal((2, "0004A30B001C0530"), (3, "0004A30B001C0531"), (4, "0004A30B001C0532"));
        rows[0].Code.Should().Be(longCode);
    }

    private static List<ClaimRow> Read(string csv)
    {
        using var reader = new StringReader(csv);
        return [.. CsvClaimReader.Open(reader, "claims.csv").Rows()];
    }

    /// <summary>A text that never ends (after an optional start): 'a' after 'a', no line break.</summary>
    private sealed class EndlessReader(string start = "") : TextReader
    {
        private int _position;

        public long CharactersRead { get; private set; }

        public override int Peek() => _position < start.Length ? start[_position] : 'a';

        public override int Read()
        {
            CharactersRead++;
            return _position < start.Length ? start[_position++] : 'a';
        }
    }
}
