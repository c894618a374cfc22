using System.Text.Json;
using Custodian.Testing;

namespace Custodian.Cli.Tests;

public sealed class QrParseCommandTests
{
    private const string Final = "LW:D0:42FFFFFFFFFFFFFF:4242FFFFFFFFFFFF:42FFFF42:CCHECKSUM:O0102:SSERIAL:PPROPRIETARY";

    [Fact]
    public void Prints_exactly_one_json_object()
    {
        var run = CliRun.Of("qr", "parse", Final, "--json");

        run.ExitCode.Should().Be(0);
        run.Error.Should().BeEmpty();
        run.Out.Should().Be(
            """{"format":"tr005","joinEui":"42FFFFFFFFFFFFFF","devEui":"4242FFFFFFFFFFFF","vendorId":"42FF","vendorProfileId":"FF42","ownerToken":"0102","serial":"SERIAL","proprietary":"PROPRIETARY","checksum":"CHECKSUM"}"""
            + Environment.NewLine);
    }

    [Theory]
    [InlineData("Q1")]
    [InlineData("Q9")]
    [InlineData("Q12")]
    [InlineData("Q13.2")]
    [InlineData("Q14.1")]
    [InlineData("Q15.2")]
    [InlineData("Q16.1")]
    public void Json_agrees_with_the_published_vector(string id)
    {
        var vector = Vectors.Get("qr.json", id);

        var run = CliRun.Of("qr", "parse", Vectors.Text(vector.Inputs, "qr"), "--json");

        run.ExitCode.Should().Be(0);
        using var json = JsonDocument.Parse(run.Out);
        var actual = json.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());
        actual.Should().BeEquivalentTo(ExpectedJson(vector));
    }

    [Fact]
    public void Prints_aligned_lines_by_default()
    {
        var run = CliRun.Of("qr", "parse", "LW:D0:70B3D57ED0000010:0018B20000000101:000AF8BE:O123");

        run.ExitCode.Should().Be(0);
        run.Out.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries).Should().Equal(
            "Format:                tr005",
            "JoinEUI:               70B3D57ED0000010",
            "DevEUI:                0018B20000000101",
            "VendorID:              000A",
            "VendorProfileID:       F8BE",
            "Owner token:           123",
            "Serial:                (none)",
            "Proprietary:           (none)",
            "Checksum (unverified): (none)");
    }

    [Theory]
    [InlineData("LW:D0:1111111111111111:222222222222222:00000000:O123456", "DevEUI '222222222222222' in field 4 is not 16 hex digits (it has 15)")]
    [InlineData("hello", "'hello' starts with none of")]
    [InlineData(" ", "the text is empty")]
    public void Bad_input_exits_1_with_the_reason_on_stderr(string text, string reason)
    {
        var run = CliRun.Of("qr", "parse", text, "--json");

        run.ExitCode.Should().Be(1);
        run.Out.Should().BeEmpty();
        run.Error.Should().StartWith("Not a TR005 QR code: " + reason);
    }

    [Theory]
    [InlineData("qr", "parse")]
    [InlineData("qr", "parse", "4242FFFFFFFFFFFF", "--bogus")]
    [InlineData("qr")]
    [InlineData]
    public void Usage_errors_exit_2(params string[] args)
    {
        var run = CliRun.Of(args);

        run.ExitCode.Should().Be(2);
        run.Out.Should().BeEmpty();
        run.Error.Should().Contain("--help");
    }

    [Fact]
    public void Help_exits_0()
    {
        var run = CliRun.Of("qr", "parse", "--help");

        run.ExitCode.Should().Be(0);
        run.Out.Should().Contain("--json");
    }

    /// <summary>The vector's expected fields as the CLI prints them: uppercase hex, 4-hex-digit IDs, nulls and empty strings left out.</summary>
    private static Dictionary<string, string?> ExpectedJson(Vector vector)
    {
        var expected = new Dictionary<string, string?> { ["format"] = Vectors.Text(vector.Expected, "formatId") };
        foreach (var name in new[] { "joinEui", "devEui", "vendorId", "vendorProfileId", "ownerToken", "serial", "proprietary", "checksum" })
        {
            var value = vector.Expected.GetProperty(name);
            if (value.ValueKind == JsonValueKind.Null || (value.ValueKind == JsonValueKind.String && value.GetString()!.Length == 0))
            {
                continue;
            }
            expected[name] = value.ValueKind == JsonValueKind.Number
                ? value.GetInt32().ToString("X4", System.Globalization.CultureInfo.InvariantCulture)
                : name.EndsWith("Eui", StringComparison.Ordinal) ? value.GetString()!.ToUpperInvariant() : value.GetString();
        }
        return expected;
    }
}
