using System.Net;
using System.Text.Json;
using Custodian.Server.Tests;

namespace Custodian.Cli.Tests;

/// <summary>
/// <c>custodian status</c> and <c>custodian unclaim</c> against a real server: a maker provisions through the
/// API, an owner claims through the API, and the CLI reads and releases the claim.
/// </summary>
public sealed class ClaimStatusCommandTests : IAsyncLifetime
{
    private const string DevEui = "0018B20000000A01";
    private TestServer _server = null!;
    private string _owner = null!;
    private MadeDevice _device = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        await _server.NetworkAsync(ClaimWorld.HomeNetId);
        var maker = await _server.KeyAsync("maker", ClaimWorld.MakerRights);
        _owner = await _server.KeyAsync("owner", ClaimWorld.OwnerRights);
        _device = (await _server.ProvisionAsync(maker, DevEui))[0];
        (await _server.ClaimAsync(_owner, _device, _device.ClaimCode)).Should().Be(HttpStatusCode.Created);
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Status_shows_the_home_network_in_aligned_lines()
    {
        // A label's spelling, with separators and lower case, names the same device.
        var run = await CliRun.AgainstAsync(_server, _owner, "status", "00-18-b2-00-00-00-0a-01");

        run.ExitCode.Should().Be(0, run.Error);
        run.Error.Should().BeEmpty();
        var lines = run.Out.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        lines.Should().StartWith(
        [
            "DevEUI:      0018B20000000A01",
            "JoinEUI:     70B3D57ED0000000",
            "Home NetID:  00001D",
        ]);
        lines.Should().Contain("Locked:      yes").And.Contain("Join Server: local");
        lines.Should().ContainSingle(line => line.StartsWith("Claimed at:  ", StringComparison.Ordinal))
            .Which.Should().MatchRegex(@"^Claimed at:  \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$", "times are shown in UTC to the second");
        run.Out.Should().NotContain(_device.ClaimCode);
    }

    [Fact]
    public async Task Status_json_is_the_servers_claim_status()
    {
        var run = await CliRun.AgainstAsync(_server, _owner, "status", DevEui, "--json");

        run.ExitCode.Should().Be(0, run.Error);
        using var json = JsonDocument.Parse(run.Out);
        json.RootElement.GetProperty("devEui").GetString().Should().Be(DevEui);
        json.RootElement.GetProperty("homeNetId").GetString().Should().Be(ClaimWorld.HomeNetId);
        json.RootElement.GetProperty("locked").GetBoolean().Should().BeTrue();
        json.RootElement.GetProperty("joinServer").GetString().Should().Be("local");
    }

    [Fact]
    public async Task Status_of_a_device_another_tenant_owns_is_not_found()
    {
        var stranger = await _server.KeyAsync("stranger", ClaimWorld.OwnerRights);

        var run = await CliRun.AgainstAsync(_server, stranger, "status", DevEui);

        run.ExitCode.Should().Be(1);
        run.Out.Should().BeEmpty();
        run.Error.Should().StartWith("device_not_found: ");
    }

    [Theory]
    [InlineData("status")]
    [InlineData("unclaim")]
    public async Task A_bad_deveui_is_a_usage_error_before_anything_is_sent(string command)
    {
        var run = await CliRun.AgainstAsync(_server, _owner, command, "0018B2000000ZZ01");

        run.ExitCode.Should().Be(2);
        run.Error.Should().Contain("'0018B2000000ZZ01' is not a DevEUI").And.Contain($"custodian {command} --help");
        // Nothing reached the server: the device is still claimed.
        (await CliRun.AgainstAsync(_server, _owner, "status", DevEui)).ExitCode.Should().Be(0);
    }

    [Fact]
    public async Task Unclaim_releases_the_device()
    {
        var run = await CliRun.AgainstAsync(_server, _owner, "unclaim", DevEui);

        run.ExitCode.Should().Be(0, run.Error);
        run.Out.Should().Be($"Unclaimed {DevEui}." + Environment.NewLine);
        (await CliRun.AgainstAsync(_server, _owner, "status", DevEui)).Error.Should().StartWith("device_not_found: ");
        (await _server.ClaimAsync(_owner, _device, _device.ClaimCode)).Should().Be(HttpStatusCode.Created, "the old code still claims");
    }

    [Fact]
    public async Task Unclaim_with_a_new_code_prints_it_once_and_the_old_code_stops_working()
    {
        var run = await CliRun.AgainstAsync(_server, _owner, "unclaim", DevEui, "--new-code");

        run.ExitCode.Should().Be(0, run.Error);
        var lines = run.Out.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().Be($"Unclaimed {DevEui}.");
        lines[1].Should().MatchRegex("^New claim code: [0-9A-Z]+ \\(shown once; the old code no longer claims it\\)$");
        var newCode = lines[1].Split(' ')[3];
        newCode.Should().NotBe(_device.ClaimCode);
        run.Error.Should().NotContain(newCode);
        (await _server.ClaimAsync(_owner, _device, _device.ClaimCode)).Should().Be(HttpStatusCode.Forbidden);
        (await _server.ClaimAsync(_owner, _device, newCode)).Should().Be(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Unclaim_json_with_a_new_code_is_the_servers_answer()
    {
        var run = await CliRun.AgainstAsync(_server, _owner, "unclaim", DevEui, "--new-code", "--json");

        run.ExitCode.Should().Be(0, run.Error);
        using var json = JsonDocument.Parse(run.Out);
        json.RootElement.GetProperty("devEui").GetString().Should().Be(DevEui);
        var newCode = json.RootElement.GetProperty("claimCode").GetString()!;
        (await _server.ClaimAsync(_owner, _device, newCode)).Should().Be(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Unclaim_json_without_a_new_code_names_the_device()
    {
        var run = await CliRun.AgainstAsync(_server, _owner, "unclaim", DevEui, "--json");

        run.ExitCode.Should().Be(0, run.Error);
        using var json = JsonDocument.Parse(run.Out);
        json.RootElement.EnumerateObject().Select(p => p.Name).Should().Equal("devEui");
        json.RootElement.GetProperty("devEui").GetString().Should().Be(DevEui);
    }

    [Fact]
    public async Task Unclaim_of_a_device_another_tenant_owns_fails_and_leaves_the_claim()
    {
        var stranger = await _server.KeyAsync("stranger", ClaimWorld.OwnerRights);

        var run = await CliRun.AgainstAsync(_server, stranger, "unclaim", DevEui, "--new-code");

        run.ExitCode.Should().Be(1);
        run.Out.Should().BeEmpty();
        run.Error.Should().StartWith("device_not_found: ");
        (await CliRun.AgainstAsync(_server, _owner, "status", DevEui)).ExitCode.Should().Be(0);
    }
}
