using System.Text;
using Custodian.ClaimFiles;

namespace Custodian.Cli.Tests.Claims;

/// <summary>The claim file readers on their own: formats, headers, quoting, line numbers and bad rows.</summary>
public sealed class ClaimFileReaderTests : IDisposable
{
    private const string JoinEui = "70B3D57ED0000010";
    private const string DevEui1 = "0018B20000000101";
    private const string DevEui2 = "0018B20000000102";
    private const string Code = "ABCDEF123456";

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("custodian-claim-files-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public void Csv_with_semicolons_gives_each_row_with_its_line()
    {
        var rows = Read("d.csv", $"dev_eui;join_eui;claim_authentication_code\n{DevEui1};{JoinEui};{Code}\n{DevEui2};{JoinEui};{Code}\n");

        rows.Should().HaveCount(2);
        rows[0].Should().Be(new ClaimRow(2, DevEui1, JoinEui, Code, null, null));
        rows[1].Line.Should().Be(3);
        rows[1].DevEui.Should().Be(DevEui2);
    }

    [Fact]
    public void Csv_with_commas_a_bom_crlf_spaces_and_unknown_columns_is_read()
    {
        var text = $"\uFEFFname, dev_eui, app_eui, claim_authentication_code, brand_id\r\nfirst, {DevEui1.ToLowerInvariant()}, {JoinEui}, {Code}, acme\r\n";

        var rows = Read("d.csv", text);

        rows.Should().ContainSingle().Which.Should().Be(new ClaimRow(2, DevEui1, JoinEui, Code, null, null));
    }

    [Fact]
    public void The_separator_is_guessed_from_the_header_so_commas_in_later_lines_are_data()
    {
        var rows = Read("d.csv", $"dev_eui;join_eui;claim_authentication_code;description\n{DevEui1};{JoinEui};{Code};red, round\n");

        rows.Should().ContainSingle().Which.IsSendable.Should().BeTrue();
    }

    [Fact]
    public void Quoted_fields_may_hold_separators_quotes_and_line_breaks_and_lines_still_count()
    {
        var text = "description,dev_eui,join_eui,claim_authentication_code\n"
            + $"\"a, \"\"quoted\"\"\nthree-line\ndescription\",{DevEui1},{JoinEui},{Code}\n"
            + $"plain,\"{DevEui2}\",{JoinEui},{Code}\n"
            + $"bad,NOTANEUI,{JoinEui},{Code}\n";

        var rows = Read("d.csv", text);

        rows.Select(r => r.Line).Should().Equal(2, 5, 6);
        rows[0].DevEui.Should().Be(DevEui1);
        rows[1].DevEui.Should().Be(DevEui2);
        rows[2].Problem.Should().Be("dev_eui: 'NOTANEUI' is not a DevEUI (16 hex digits)");
    }

    [Fact]
    public void Blank_lines_are_skipped_but_counted()
    {
        var rows = Read("d.csv", $"dev_eui,join_eui,claim_authentication_code\n\n{DevEui1},{JoinEui},{Code}\n   \n{DevEui2},{JoinEui},{Code}");

        rows.Select(r => r.Line).Should().Equal(3, 5);
    }

    [Fact]
    public void An_unclosed_quote_stops_the_file_with_its_line()
    {
        var file = Write("d.csv", $"dev_eui,join_eui,claim_authentication_code\n{DevEui1},{JoinEui},{Code}\n\"{DevEui2},{JoinEui},{Code}\n");

        var count = () => ClaimFile.Open(file).CountRows();

        count.Should().Throw<ClaimFileException>().WithMessage("line 3: a quoted field is not closed*");
    }

    [Theory]
    [InlineData("dev_eui,join_eui,claim_authentication_code\n0018B2000000010,70B3D57ED0000010,ABCDEF123456", "dev_eui: '0018B2000000010' is not a DevEUI (16 hex digits)")]
    [InlineData("dev_eui,join_eui,claim_authentication_code\n0018B20000000101,70B3D57ED000001G,ABCDEF123456", "join_eui: '70B3D57ED000001G' is not a JoinEUI (16 hex digits)")]
    [InlineData("dev_eui,app_eui,claim_authentication_code\n0018B20000000101,,ABCDEF123456", "no app_eui (and no qr_code)")]
    [InlineData("dev_eui,join_eui,claim_authentication_code\n0018B20000000101,70B3D57ED0000010,", "no claim_authentication_code (and no qr_code)")]
    [InlineData("dev_eui,join_eui,claim_authentication_code\n0018B20000000101,70B3D57ED0000010,ABC", "claim_authentication_code: a claim code is 6 to 32 characters, this one has 3")]
    [InlineData("dev_eui,join_eui,claim_authentication_code\n0018B20000000101,70B3D57ED0000010,ABC-DEF-123", "claim_authentication_code: a claim code holds only letters A-Z and digits; character 4 is neither")]
    [InlineData("qr_code\nLW:D0:70B3D57ED0000010:0018B20000000101:000AF8BE", "the QR code carries no owner token and claim_authentication_code is empty")]
    [InlineData("qr_code,dev_eui\nLW:D0:70B3D57ED0000010:0018B20000000101:000AF8BE:OABCDEF123456,0018B20000000199", "dev_eui 0018B20000000199 differs from the QR code's 0018B20000000101")]
    public void A_bad_row_says_what_is_wrong_without_echoing_the_code(string text, string problem)
    {
        var row = Read("d.csv", text).Should().ContainSingle().Subject;

        row.Line.Should().Be(2);
        row.IsSendable.Should().BeFalse();
        row.Problem.Should().Be(problem);
        row.Problem.Should().NotContain("ABCDEF123456").And.NotContain("ABC-DEF");
    }

    [Fact]
    public void A_qr_code_column_gives_the_devEui_from_the_code()
    {
        const string qr = "LW:D0:70B3D57ED0000010:0018B20000000101:000AF8BE:OABCDEF123456";

        var rows = Read("d.csv", $"qr_code\n{qr}\n");

        rows.Should().ContainSingle().Which.Should().Be(new ClaimRow(2, DevEui1, null, null, qr, null));
    }

    [Fact]
    public void A_row_may_use_either_a_qr_code_or_the_euis_and_code()
    {
        const string qr = "LW:D0:70B3D57ED0000010:0018B20000000101:000AF8BE:OABCDEF123456";

        var rows = Read("d.csv", $"dev_eui,join_eui,claim_authentication_code,qr_code\n,,,{qr}\n{DevEui2},{JoinEui},{Code},\n");

        rows.Should().AllSatisfy(row => row.IsSendable.Should().BeTrue());
        rows[0].Qr.Should().Be(qr);
        rows[1].Qr.Should().BeNull();
    }

    [Theory]
    [InlineData("dev_eui,join_eui\n0018B20000000101,70B3D57ED0000010\n", "has no usable header row: expected a header row naming the columns dev_eui, join_eui (or app_eui) and claim_authentication_code, or qr_code")]
    [InlineData("0018B20000000101,70B3D57ED0000010,ABCDEF123456\n", "has no usable header row")]
    [InlineData("DEV_EUI,JOIN_EUI,CLAIM_AUTHENTICATION_CODE\n", "has no usable header row")]
    [InlineData("", "is empty: expected CSV")]
    [InlineData("\n\n  \n", "is empty")]
    public void A_file_without_a_usable_header_stops_at_once(string text, string message)
    {
        var file = Write("d.csv", text);

        var open = () => ClaimFile.Open(file);

        open.Should().Throw<ClaimFileException>().Which.Message.Should().Contain(message).And.NotContain("ABCDEF123456");
    }

    [Fact]
    public void A_binary_file_is_an_unknown_format()
    {
        var file = Path.Combine(_directory.FullName, "devices.xlsx");
        File.WriteAllBytes(file, [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00]);

        var open = () => ClaimFile.Open(file);

        open.Should().Throw<ClaimFileException>().WithMessage("*is not a text file: expected CSV (*) or JSON (*)*");
    }

    [Fact]
    public void A_json_file_that_is_not_json_says_what_was_expected()
    {
        var file = Write("devices.json", "dev_eui,join_eui\n");

        var open = () => ClaimFile.Open(file);

        open.Should().Throw<ClaimFileException>().WithMessage("*does not start with '[' or '{': expected an array or stream of The Things Stack end devices*");
    }

    [Fact]
    public void Json_content_wins_over_a_csv_extension()
    {
        var file = Write("devices.csv", $"[{{\"devEui\":\"{DevEui1}\",\"joinEui\":\"{JoinEui}\",\"claimCode\":\"{Code}\"}}]");

        ClaimFile.Open(file).Format.Should().Be(ClaimFileFormat.Json);
    }

    [Fact]
    public void The_things_stack_end_devices_as_an_array()
    {
        var text = $$"""
            [
              {
                "ids": { "device_id": "eui-1", "dev_eui": "{{DevEui1}}", "join_eui": "{{JoinEui}}", "application_ids": { "application_id": "app" } },
                "name": "first",
                "claim_authentication_code": { "value": "{{Code}}", "valid_from": "2025-01-01T00:00:00Z" }
              },
              {
                "ids": { "dev_eui": "{{DevEui2}}", "app_eui": "{{JoinEui}}" },
                "claim_authentication_code": { "value": "{{Code}}" }
              },
              { "ids": { "dev_eui": "0018B20000000103", "join_eui": "{{JoinEui}}" } }
            ]
            """;

        var rows = Read("devices.json", text);

        rows.Should().HaveCount(3);
        rows[0].Should().Be(new ClaimRow(2, DevEui1, JoinEui, Code, null, null));
        rows[1].Should().Be(new ClaimRow(7, DevEui2, JoinEui, Code, null, null));
        rows[2].Line.Should().Be(11);
        rows[2].Problem.Should().Be("no claim_authentication_code.value (and no qr_code)");
    }

    [Fact]
    public void The_things_stack_end_devices_as_a_concatenated_stream_with_a_bom()
    {
        var text = $"\uFEFF{{\"ids\":{{\"dev_eui\":\"{DevEui1}\",\"join_eui\":\"{JoinEui}\"}},\"claim_authentication_code\":{{\"value\":\"{Code}\"}}}}\n"
            + $"{{\"ids\":{{\"dev_eui\":\"{DevEui2}\",\"join_eui\":\"{JoinEui}\"}},\"claim_authentication_code\":{{\"value\":\"{Code}\"}}}}{{\"ids\":{{\"dev_eui\":\"0018B20000000103\",\"join_eui\":\"{JoinEui}\"}},\"claim_authentication_code\":{{\"value\":\"{Code}\"}}}}";

        var rows = Read("devices.json", text);

        rows.Select(r => (r.Line, r.DevEui)).Should().Equal((1, DevEui1), (2, DevEui2), (2, "0018B20000000103"));
        rows.Should().AllSatisfy(row => row.IsSendable.Should().BeTrue());
    }

    [Fact]
    public void Api_shaped_claim_objects_with_qr_or_euis()
    {
        const string qr = "LW:D0:70B3D57ED0000010:0018B20000000101:000AF8BE:OABCDEF123456";
        var text = $$"""
            [
              { "qr": "{{qr}}" },
              { "JoinEui": "{{JoinEui}}", "devEui": "{{DevEui2}}", "claimCode": "{{Code}}", "note": "ignored" },
              { "devEui": 42, "joinEui": "{{JoinEui}}", "claimCode": "{{Code}}" },
              "not an object",
              { "serial": "x" }
            ]
            """;

        var rows = Read("claims.json", text);

        rows.Should().HaveCount(5);
        rows[0].Should().Be(new ClaimRow(2, DevEui1, null, null, qr, null));
        rows[1].Should().Be(new ClaimRow(3, DevEui2, JoinEui, Code, null, null));
        rows[2].Problem.Should().Be("devEui: expected a string, got a number");
        rows[3].Should().Be(ClaimRow.Unreadable(5, "expected an object, got a string"));
        rows[4].Problem.Should().StartWith("expected an array or stream of The Things Stack end devices");
    }

    [Theory]
    [InlineData("[{\"devEui\":\"0018B20000000101\"},\n{\"devEui\": }]", "line 2: the JSON is broken")]
    [InlineData("[{\"devEui\":\"0018B20000000101\"}\n", "line 2: the JSON is broken")]
    [InlineData("[{\"devEui\":\"0018B20000000101\"}]\n\n{\"devEui\":\"0018B20000000102\"}", "line 3: more JSON after the closing ']'")]
    public void Broken_json_stops_the_count_with_its_line(string text, string message)
    {
        var file = Write("claims.json", text);

        var count = () => ClaimFile.Open(file).CountRows();

        count.Should().Throw<ClaimFileException>().WithMessage(message);
    }

    [Fact]
    public void Items_that_span_the_read_buffer_are_read_whole_and_counted()
    {
        // About 2.5 MB: many refills of the 64 KB buffer, one item larger than it, items cut at every offset.
        var text = new StringBuilder("[\n");
        const int count = 20_000;
        for (var i = 0; i < count; i++)
        {
            var padding = i == 7_777 ? new string('x', 200_000) : new string('y', i % 97);
            text.Append($"{{\"devEui\":\"{0x0018B20000000000 + i:X16}\",\"joinEui\":\"{JoinEui}\",\"claimCode\":\"{Code}\",\"pad\":\"{padding}\"}}");
            text.Append(i < count - 1 ? ",\n" : "\n");
        }
        var file = Write("big.json", text.Append(']').ToString());

        var claimFile = ClaimFile.Open(file);
        var rows = claimFile.Rows().ToList();

        claimFile.CountRows().Should().Be(count);
        rows.Should().HaveCount(count).And.AllSatisfy(row => row.IsSendable.Should().BeTrue());
        rows.Select(r => r.Line).Should().Equal(Enumerable.Range(2, count));
        rows[^1].DevEui.Should().Be($"{0x0018B20000000000 + count - 1:X16}");
    }

    [Fact]
    public void Csv_count_matches_the_rows()
    {
        var text = new StringBuilder("dev_eui;join_eui;claim_authentication_code\n");
        for (var i = 0; i < 5_000; i++)
        {
            text.Append($"{0x0018B20000000000 + i:X16};{JoinEui};{Code}\n");
        }
        var file = ClaimFile.Open(Write("d.csv", text.ToString()));

        file.CountRows().Should().Be(5_000);
        file.Rows().Count(row => row.IsSendable).Should().Be(5_000);
    }

    private List<ClaimRow> Read(string name, string text) => [.. ClaimFile.Open(Write(name, text)).Rows()];

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory.FullName, name);
        // No BOM unless the text brings its own.
        File.WriteAllText(path, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        return path;
    }
}
