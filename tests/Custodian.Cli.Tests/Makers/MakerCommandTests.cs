using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Custodian.Server.Tests;

namespace Custodian.Cli.Tests.Makers;

/// <summary>
/// <c>custodian admin tenants create --dev-eui-prefix</c>, <c>admin tenants set-blocks</c> and
/// <c>devices claim-code</c> against a real server.
/// </summary>
public sealed class MakerCommandTests : IAsyncLifetime
{
    private TestServer _server = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _server = await TestServer.StartAsync();

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private Task<CliRun> AdminAsync(params string[] args) => CliRun.AgainstAsync(_server, _server.AdminKey, args);

    [Fact]
    public async Task A_maker_is_created_with_its_blocks_they_are_replaced_and_overlaps_are_refused()
    {
        var created = await AdminAsync("admin", "tenants", "create", "acme", "--dev-eui-prefix", "0018B20000000000/40", "--dev-eui-prefix", "0018B30000000000/40");
        var overlapping = await AdminAsync("admin", "tenants", "create", "rival", "--dev-eui-prefix", "0018B20000000000/48");
        var replaced = await AdminAsync("admin", "tenants", "set-blocks", "acme", "--dev-eui-prefix", "0018B40000000000/40", "--json");
        var nothing = await AdminAsync("admin", "tenants", "set-blocks", "acme");
        var none = await AdminAsync("admin", "tenants", "set-blocks", "acme", "--none");

        created.ExitCode.Should().Be(0, created.Error);
        created.Out.Should().Be("Created tenant acme (acme) with DevEUI blocks 0018B20000000000/40,0018B30000000000/40." + Environment.NewLine);
        overlapping.ExitCode.Should().Be(1);
        overlapping.Error.Should().StartWith("dev_eui_block_taken: ").And.Contain("0018B20000000000/40");
        replaced.ExitCode.Should().Be(0, replaced.Error);
        JsonDocument.Parse(replaced.Out).RootElement.GetProperty("devEuiPrefixes").EnumerateArray().Select(b => b.GetString()).Should().Equal("0018B40000000000/40");
        nothing.ExitCode.Should().Be(2, "neither blocks nor --none is a usage error");
        none.ExitCode.Should().Be(0, none.Error);
        none.Out.Should().Be("Tenant acme holds no DevEUI block." + Environment.NewLine);
    }

    [Fact]
    public async Task The_maker_issues_a_new_claim_code_printed_once()
    {
        await AdminAsync("admin", "tenants", "create", "acme", "--dev-eui-prefix", "0018B20000000000/40");
        var key = await _server.ApiKeyAsync("acme", "devices:provision", "devices:read");
        using var maker = _server.UnassistedClient(key);
        using (var provisioned = await maker.PostAsJsonAsync("/api/v1/devices", new { joinEui = "70B3D57ED0000000", devEui = "0018B20000000001", macVersion = "1.0.3" }, Ct))
        {
            provisioned.StatusCode.Should().Be(HttpStatusCode.Created);
        }

        var run = await CliRun.AgainstAsync(_server, key, "devices", "claim-code", "00-18-b2-00-00-00-00-01");
        var unknown = await CliRun.AgainstAsync(_server, key, "devices", "claim-code", "0018B20000000002");

        run.ExitCode.Should().Be(0, run.Error);
        var lines = run.Out.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().Be("Device 0018B20000000001 has a new claim code; earlier codes no longer claim it.");
        var code = lines[1]["Claim code: ".Length..];
        code.Should().MatchRegex("^[A-Z0-9]{16}$");
        lines[2].Should().StartWith("QR code text: ").And.Contain(code);
        var view = await maker.GetFromJsonAsync<JsonElement>("/api/v1/devices/0018B20000000001", Ct);
        view.GetProperty("claimCode").GetString().Should().Be(code);
        unknown.ExitCode.Should().Be(1);
        unknown.Error.Should().StartWith("device_not_found: ");
    }
}
