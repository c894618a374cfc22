using Custodian.Cli.Images;
using Custodian.Server.Tests;

namespace Custodian.Cli.Tests;

/// <summary>The plumbing every server command shares: where the server and key come from, and the exit codes.</summary>
public sealed class CliSmokeTests
{
    [Fact]
    public async Task A_missing_api_key_is_a_usage_error()
    {
        var run = await CliRun.RunAsync(["status", "0018B20000000101"]);
        run.ExitCode.Should().Be(2);
        run.Error.Should().Contain("CUSTODIAN_API_KEY");
    }

    [Fact]
    public async Task An_unreachable_server_is_a_connection_error_after_retries()
    {
        // A port nothing listens on: every attempt is refused at once.
        var run = await CliRun.ProcessAsync(
            ["status", "0018B20000000101", "--retries", "1"],
            new Dictionary<string, string> { ["CUSTODIAN_SERVER"] = "http://127.0.0.1:9", ["CUSTODIAN_API_KEY"] = "k" });
        run.ExitCode.Should().Be(2, run.Error);
        run.Error.Should().Contain("Cannot reach http://127.0.0.1:9/ after 2 attempts");
    }

    [Fact]
    public async Task A_rejected_api_key_is_a_usage_error()
    {
        await using var server = await TestServer.StartAsync();
        var run = await CliRun.AgainstAsync(server, "not-a-key", "status", "0018B20000000101");
        run.ExitCode.Should().Be(2, run.Error);
        run.Error.Should().Contain("refused the API key");
    }

    [Fact]
    public void A_rendered_png_decodes_back_with_zxing()
    {
        var directory = Directory.CreateTempSubdirectory("custodian-cli-");
        try
        {
            const string text = "LW:D0:70B3D57ED0000010:0018B20000000101:000AF8BE:O0123456789ABCDEF";
            var png = Path.Combine(directory.FullName, "code.png");
            CliRun.Of("qr", "render", text, "--out", png).ExitCode.Should().Be(0);
            QrImageDecoder.TryDecode(png, out var decoded, out var error).Should().BeTrue(error);
            decoded.Should().Be(text);
            QrImageDecoder.TryDecode(Path.Combine(directory.FullName, "missing.png"), out _, out error).Should().BeFalse();
            error.Should().Contain("no such file");
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
