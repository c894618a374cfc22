using System.Net;
using System.Text.Json;
using Custodian.Server.Tests;

namespace Custodian.Cli.Tests;

/// <summary>
/// The list commands against a real server: <c>devices list [--owned]</c> and the admin lists, as tables for
/// people and JSON arrays for scripts.
/// </summary>
public sealed class ListCommandTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        await _server.NetworkAsync(ClaimWorld.HomeNetId);
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private static string[] Lines(string text) => text.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);

    /// <summary>A table's cells, split on the two spaces between columns.</summary>
    private static string[] Cells(string line) => line.Split("  ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [Fact]
    public async Task Devices_list_shows_the_makers_devices_in_deveui_order_and_the_owner_only_when_it_is_the_maker()
    {
        // A maker that claims one of its own devices (pre-activated), and another owner that claims one.
        var maker = await _server.KeyAsync("maker", [.. ClaimWorld.MakerRights, .. ClaimWorld.OwnerRights]);
        var owner = await _server.KeyAsync("owner", ClaimWorld.OwnerRights);
        var devices = await _server.ProvisionAsync(maker, "0018B20000000B03", "0018B20000000B01", "0018B20000000B02");
        (await _server.ClaimAsync(maker, devices[1], devices[1].ClaimCode)).Should().Be(HttpStatusCode.Created);
        (await _server.ClaimAsync(owner, devices[2], devices[2].ClaimCode)).Should().Be(HttpStatusCode.Created);

        var run = await CliRun.AgainstAsync(_server, maker, "devices", "list");

        run.ExitCode.Should().Be(0, run.Error);
        run.Error.Should().BeEmpty();
        var lines = Lines(run.Out);
        Cells(lines[0]).Should().Equal("DEVEUI", "JOINEUI", "MAC", "STATE", "OWNER", "HOME NETID", "CREATED");
        lines.Should().HaveCount(4);
        Cells(lines[1])[..6].Should().Equal("0018B20000000B01", ClaimWorld.JoinEui, "1.0.3", "claimed", "maker", ClaimWorld.HomeNetId);
        Cells(lines[2])[..6].Should().Equal("0018B20000000B02", ClaimWorld.JoinEui, "1.0.3", "claimed", "-", "-");
        Cells(lines[3])[..6].Should().Equal("0018B20000000B03", ClaimWorld.JoinEui, "1.0.3", "unclaimed", "-", "-");
        Cells(lines[3])[6].Should().MatchRegex(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$");
        run.Out.Should().NotContain(devices[0].ClaimCode);
    }

    [Fact]
    public async Task Devices_list_json_is_an_array_of_the_servers_records()
    {
        var maker = await _server.KeyAsync("maker", ClaimWorld.MakerRights);
        await _server.ProvisionAsync(maker, "0018B20000000B02", "0018B20000000B01");

        var run = await CliRun.AgainstAsync(_server, maker, "devices", "list", "--json");
        var none = await CliRun.AgainstAsync(_server, await _server.KeyAsync("empty", ClaimWorld.MakerRights), "devices", "list", "--json");

        run.ExitCode.Should().Be(0, run.Error);
        using var json = JsonDocument.Parse(run.Out);
        json.RootElement.ValueKind.Should().Be(JsonValueKind.Array);
        json.RootElement.EnumerateArray().Select(d => d.GetProperty("devEui").GetString()).Should().Equal("0018B20000000B01", "0018B20000000B02");
        json.RootElement[0].GetProperty("state").GetString().Should().Be("unclaimed");
        json.RootElement[0].TryGetProperty("claimCode", out _).Should().BeFalse();
        none.Out.Trim().Should().Be("[]");
    }

    [Fact]
    public async Task Devices_list_reads_every_page_and_a_limit_caps_it()
    {
        // More than one page of the largest size the server gives (1000).
        var maker = await _server.KeyAsync("maker", ClaimWorld.MakerRights);
        var devEuis = Enumerable.Range(1, 1205).Select(i => $"0018B20001{i:X6}").ToArray();
        await _server.ProvisionAsync(maker, devEuis);

        var all = await CliRun.AgainstAsync(_server, maker, "devices", "list", "--json");
        var capped = await CliRun.AgainstAsync(_server, maker, "devices", "list", "--limit", "3");
        var exact = await CliRun.AgainstAsync(_server, maker, "devices", "list", "--limit", "2000", "--json");

        all.ExitCode.Should().Be(0, all.Error);
        using (var json = JsonDocument.Parse(all.Out))
        {
            json.RootElement.EnumerateArray().Select(d => d.GetProperty("devEui").GetString()).Should().Equal(devEuis);
        }
        capped.ExitCode.Should().Be(0, capped.Error);
        Lines(capped.Out).Skip(1).Select(line => Cells(line)[0]).Should().Equal(devEuis[..3]);
        capped.Error.Should().Be("Showing the first 3 devices; there may be more (raise --limit)." + Environment.NewLine);
        exact.Error.Should().BeEmpty("all 1205 fit under the limit");
        using (var json = JsonDocument.Parse(exact.Out))
        {
            json.RootElement.GetArrayLength().Should().Be(1205);
        }
    }

    [Fact]
    public async Task Devices_list_owned_shows_the_callers_claims()
    {
        var maker = await _server.KeyAsync("maker", ClaimWorld.MakerRights);
        var owner = await _server.KeyAsync("owner", ClaimWorld.OwnerRights);
        var devices = await _server.ProvisionAsync(maker, "0018B20000000B01", "0018B20000000B02");
        (await _server.ClaimAsync(owner, devices[1], devices[1].ClaimCode)).Should().Be(HttpStatusCode.Created);

        var run = await CliRun.AgainstAsync(_server, owner, "devices", "list", "--owned");
        var json = await CliRun.AgainstAsync(_server, owner, "devices", "list", "--owned", "--json");
        var makerOwns = await CliRun.AgainstAsync(_server, maker, "devices", "list", "--owned");

        run.ExitCode.Should().Be(0, run.Error);
        var lines = Lines(run.Out);
        Cells(lines[0]).Should().Equal("DEVEUI", "JOINEUI", "HOME NETID", "HOME NSID", "AS-ID", "LOCKED", "CLAIMED");
        lines.Should().HaveCount(2);
        Cells(lines[1])[..6].Should().Equal("0018B20000000B02", ClaimWorld.JoinEui, ClaimWorld.HomeNetId, "-", "-", "yes");
        using var array = JsonDocument.Parse(json.Out);
        array.RootElement.EnumerateArray().Select(c => c.GetProperty("homeNetId").GetString()).Should().Equal(ClaimWorld.HomeNetId);
        makerOwns.ExitCode.Should().Be(0, makerOwns.Error);
        makerOwns.Out.Should().Be("You have not claimed any devices." + Environment.NewLine);
    }

    [Fact]
    public async Task Devices_list_usage_and_rights()
    {
        var provisionOnly = await _server.KeyAsync("maker", ["devices:provision"]);

        var zero = await CliRun.AgainstAsync(_server, provisionOnly, "devices", "list", "--limit", "0");
        var refused = await CliRun.AgainstAsync(_server, provisionOnly, "devices", "list");

        zero.ExitCode.Should().Be(2);
        zero.Error.Should().Contain("--limit must be at least 1");
        refused.ExitCode.Should().Be(1);
        refused.Error.Should().StartWith("missing_right: ");
    }

    [Fact]
    public async Task Admin_tenants_list_and_keys_list()
    {
        await _server.KeyAsync("acme", ClaimWorld.OwnerRights);
        var admin = (string[] args) => CliRun.AgainstAsync(_server, _server.AdminKey, args);

        var tenants = await admin(["admin", "tenants", "list"]);
        var tenantsJson = await admin(["admin", "tenants", "list", "--json"]);
        var keys = await admin(["admin", "keys", "list", "acme"]);
        var keysJson = await admin(["admin", "keys", "list", "acme", "--json"]);
        var unknown = await admin(["admin", "keys", "list", "nobody"]);

        tenants.ExitCode.Should().Be(0, tenants.Error);
        Cells(Lines(tenants.Out)[0]).Should().Equal("ID", "NAME", "DEVEUI BLOCKS", "CREATED");
        Lines(tenants.Out).Skip(1).Select(line => Cells(line)[0]).Should().Contain("acme");
        using (var json = JsonDocument.Parse(tenantsJson.Out))
        {
            json.RootElement.EnumerateArray().Select(t => t.GetProperty("id").GetString()).Should().Contain("acme");
        }
        keys.ExitCode.Should().Be(0, keys.Error);
        Cells(Lines(keys.Out)[0]).Should().Equal("ID", "NAME", "RIGHTS", "CERTIFICATE SHA-256", "REQ/MIN", "WRONG CODES/H", "CREATED");
        // The server lists rights in its own order.
        Cells(Lines(keys.Out)[1])[1..4].Should().Equal("test", "devices:read,devices:claim,devices:unclaim", "-");
        using (var json = JsonDocument.Parse(keysJson.Out))
        {
            var key = json.RootElement.EnumerateArray().Single();
            key.GetProperty("id").GetString().Should().StartWith("key_");
            key.TryGetProperty("key", out _).Should().BeFalse("a key is shown only when created");
        }
        unknown.ExitCode.Should().Be(1);
        unknown.Error.Should().StartWith("tenant_not_found: ");
    }

    [Fact]
    public async Task Admin_networks_and_application_servers_lists()
    {
        var admin = (string[] args) => CliRun.AgainstAsync(_server, _server.AdminKey, args);
        (await admin(["admin", "networks", "create", "--net-id", "00000C", "--ns-id", "00000000000000C1", "--name", "Field", "--kek-label", "ns-c", "--kek", "000102030405060708090A0B0C0D0E0F"])).ExitCode.Should().Be(0);

        var networks = await admin(["admin", "networks", "list"]);
        var networksJson = await admin(["admin", "networks", "list", "--json"]);
        var noServers = await admin(["admin", "application-servers", "list"]);
        (await admin(["admin", "application-servers", "create", "--as-id", "as1"])).ExitCode.Should().Be(0);
        var servers = await admin(["admin", "application-servers", "list"]);
        var serversJson = await admin(["admin", "application-servers", "list", "--json"]);

        networks.ExitCode.Should().Be(0, networks.Error);
        var lines = Lines(networks.Out);
        Cells(lines[0]).Should().Equal("NETID", "NSID", "NAME", "KEK LABEL", "CERTIFICATE SHA-256", "CREATED");
        lines.Skip(1).Select(line => Cells(line)[..5]).Should().ContainEquivalentOf(new[] { "00000C", "00000000000000C1", "Field", "ns-c", "-" });
        lines.Skip(1).Select(line => Cells(line)[0]).Should().Contain(ClaimWorld.HomeNetId);
        networksJson.Out.Should().NotContain("cbi_").And.NotContain("000102030405060708090A0B0C0D0E0F");
        using (var json = JsonDocument.Parse(networksJson.Out))
        {
            json.RootElement.EnumerateArray().Select(n => n.GetProperty("netId").GetString()).Should().Contain(["00000C", ClaimWorld.HomeNetId]);
        }
        noServers.Out.Should().Be("No application servers are registered." + Environment.NewLine);
        Cells(Lines(servers.Out)[0]).Should().Equal("AS-ID", "KEK LABEL", "CERTIFICATE SHA-256", "CREATED");
        Cells(Lines(servers.Out)[1])[..3].Should().Equal("as1", "-", "-");
        using (var json = JsonDocument.Parse(serversJson.Out))
        {
            json.RootElement.EnumerateArray().Select(s => s.GetProperty("asId").GetString()).Should().Equal("as1");
        }
    }
}
