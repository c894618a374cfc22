using System.Net;
using System.Text.Json;

namespace Custodian.Server.Tests.Makers;

/// <summary>
/// Security review 2, finding 2: provisioning was a free oracle of which DevEUIs exist (<c>device_exists</c> for
/// another maker's device) and let one maker squat another's next DevEUIs. Each maker now provisions only inside the
/// DevEUI blocks the operator gave it; outside them the answer is one and the same, before any look-up. The clients
/// here assign no block on anyone's behalf (<see cref="TestServer.UnassistedClient"/>).
/// </summary>
public sealed class DevEuiBlockTests : IAsyncLifetime
{
    private const string JoinEui = "70B3D57ED0000000";
    private TestServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await TestServer.StartAsync();

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private HttpClient Admin => _server.UnassistedClient(_server.AdminKey);

    private async Task<HttpClient> MakerAsync(string id, params string[] blocks)
    {
        var (status, body) = await Admin.PostAsync("/api/v1/tenants", new { id, name = id, devEuiPrefixes = blocks });
        status.Should().Be(HttpStatusCode.Created, body.ToString());
        body.GetProperty("devEuiPrefixes").EnumerateArray().Select(b => b.GetString()).Should().BeEquivalentTo(blocks);
        return _server.UnassistedClient(await _server.ApiKeyAsync(id, "devices:provision", "devices:read"));
    }

    private static object Device(string devEui) => new { joinEui = JoinEui, devEui, macVersion = "1.0.3" };

    [Fact]
    public async Task Outside_its_blocks_a_maker_gets_one_answer_whether_or_not_the_device_exists()
    {
        var victim = await MakerAsync("victim", "0018B20000000000/40");
        var attacker = await MakerAsync("attacker", "0018B30000000000/40");
        (await victim.PostAsync("/api/v1/devices", Device("0018B20000000005"))).Status.Should().Be(HttpStatusCode.Created);

        var (existing, existingProblem) = await attacker.PostAsync("/api/v1/devices", Device("0018B20000000005"));
        var (unknown, unknownProblem) = await attacker.PostAsync("/api/v1/devices", Device("0018B20000000006"));

        existing.Should().Be(HttpStatusCode.Forbidden);
        existingProblem.ShouldBeProblem(HttpStatusCode.Forbidden, "dev_eui_outside_blocks");
        unknown.Should().Be(existing);
        Same(existingProblem, unknownProblem, "0018B20000000005", "0018B20000000006");
    }

    [Fact]
    public async Task A_batch_outside_the_blocks_tells_no_known_device_from_an_unknown_one()
    {
        var victim = await MakerAsync("victim", "0018B20000000000/40");
        var attacker = await MakerAsync("attacker", "0018B30000000000/40");
        var taken = new[] { 1, 4, 5, 8, 11 };
        (await victim.PostAsync("/api/v1/devices/batch", new { devices = taken.Select(i => Device($"0018B200000000{i:X2}")) })).Status.Should().Be(HttpStatusCode.OK);

        var (status, body) = await attacker.PostAsync("/api/v1/devices/batch", new { devices = Enumerable.Range(0, 12).Select(i => Device($"0018B200000000{i:X2}")) });

        status.Should().Be(HttpStatusCode.OK);
        var results = body.GetProperty("results").EnumerateArray().ToList();
        results.Should().HaveCount(12).And.OnlyContain(r => r.Text("status") == "failed"
            && r.GetProperty("error").GetProperty("code").GetString() == "dev_eui_outside_blocks");
        results.Select(r => r.GetProperty("error").Text("detail")!.Replace(r.Text("devEui")!, "D", StringComparison.Ordinal)).Distinct().Should().ContainSingle();
    }

    [Fact]
    public async Task Nobody_squats_another_makers_next_DevEUI()
    {
        var victim = await MakerAsync("victim", "0018B20000000000/40");
        var attacker = await MakerAsync("attacker", "0018B30000000000/40");
        (await victim.PostAsync("/api/v1/devices", Device("0018B200000000FF"))).Status.Should().Be(HttpStatusCode.Created);

        (await attacker.PostAsync("/api/v1/devices", Device("0018B20000000100"))).Status.Should().Be(HttpStatusCode.Forbidden);
        var (status, body) = await victim.PostAsync("/api/v1/devices", Device("0018B20000000100"));

        status.Should().Be(HttpStatusCode.Created, body.ToString());
        (await _server.Store.GetDeviceAsync(DevEui.Parse("0018B20000000100"), TestContext.Current.CancellationToken))!.MakerTenantId.Should().Be("victim");
        (await attacker.PostAsync("/api/v1/devices", Device("0018B30000000001"))).Status.Should().Be(HttpStatusCode.Created, "inside its own block");
    }

    [Fact]
    public async Task A_tenant_without_blocks_provisions_nothing_and_the_operator_holds_none_by_default()
    {
        var none = await MakerAsync("no-blocks");

        (await none.PostAsync("/api/v1/devices", Device("0000000000000001"))).Body.ShouldBeProblem(HttpStatusCode.Forbidden, "dev_eui_outside_blocks");
        (await Admin.PostAsync("/api/v1/devices", Device("0000000000000002"))).Body.ShouldBeProblem(HttpStatusCode.Forbidden, "dev_eui_outside_blocks");
        var every = await MakerAsync("single-maker", "0000000000000000/0");
        (await every.PostAsync("/api/v1/devices", Device("FFFFFFFFFFFFFFFF"))).Status.Should().Be(HttpStatusCode.Created, "/0 holds every DevEUI");
        (await every.PostAsync("/api/v1/devices", Device("0000000000000000"))).Status.Should().Be(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Blocks_of_two_tenants_never_overlap_and_the_409_names_the_block_held()
    {
        await MakerAsync("first", "0018B20000000000/40");

        var (wider, widerProblem) = await Admin.PostAsync("/api/v1/tenants", new { id = "second", name = "second", devEuiPrefixes = new[] { "0018000000000000/16" } });
        var (inner, innerProblem) = await Admin.PostAsync("/api/v1/tenants", new { id = "third", name = "third", devEuiPrefixes = new[] { "0018B20000001000/52" } });
        var (every, everyProblem) = await Admin.PostAsync("/api/v1/tenants", new { id = "fourth", name = "fourth", devEuiPrefixes = new[] { "0000000000000000/0" } });

        foreach (var (status, problem) in new[] { (wider, widerProblem), (inner, innerProblem), (every, everyProblem) })
        {
            status.Should().Be(HttpStatusCode.Conflict);
            problem.ShouldBeProblem(HttpStatusCode.Conflict, "dev_eui_block_taken");
            problem.Detail().Should().Contain("0018B20000000000/40").And.Contain("'first'");
        }
        var (_, list) = await Admin.GetJsonAsync("/api/v1/tenants");
        list.GetProperty("tenants").EnumerateArray().Select(t => t.Text("id")).Should().NotContain(["second", "third", "fourth"], "a refused tenant is not created");
        (await Admin.PostAsync("/api/v1/tenants", new { id = "beside", name = "beside", devEuiPrefixes = new[] { "0018B30000000000/40" } })).Status
            .Should().Be(HttpStatusCode.Created, "a block next to another does not overlap it");
    }

    [Fact]
    public async Task Patch_replaces_a_tenants_blocks_and_is_for_admins_only()
    {
        var maker = await MakerAsync("maker", "0018B20000000000/40");
        (await maker.PostAsync("/api/v1/devices", Device("0018B20000000001"))).Status.Should().Be(HttpStatusCode.Created);

        var (status, body) = await Patch(Admin, "maker", "0018B30000000000/40", "0018B40000000000/48");

        status.Should().Be(HttpStatusCode.OK, body.ToString());
        body.GetProperty("devEuiPrefixes").EnumerateArray().Select(b => b.GetString()).Should().Equal("0018B30000000000/40", "0018B40000000000/48");
        (await maker.PostAsync("/api/v1/devices", Device("0018B20000000002"))).Body.ShouldBeProblem(HttpStatusCode.Forbidden, "dev_eui_outside_blocks");
        (await maker.PostAsync("/api/v1/devices", Device("0018B40000000002"))).Status.Should().Be(HttpStatusCode.Created);
        (await Patch(maker, "maker", "0000000000000000/0")).Status.Should().Be(HttpStatusCode.Forbidden, "a maker does not widen its own blocks");
        (await Patch(Admin, "nobody", "0018B50000000000/40")).Body.ShouldBeProblem(HttpStatusCode.NotFound, "tenant_not_found");
        var (_, emptied) = await Patch(Admin, "maker");
        emptied.GetProperty("devEuiPrefixes").GetArrayLength().Should().Be(0);
        (await maker.PostAsync("/api/v1/devices", Device("0018B40000000003"))).Body.ShouldBeProblem(HttpStatusCode.Forbidden, "dev_eui_outside_blocks");
        (await _server.Store.GetDeviceAsync(DevEui.Parse("0018B20000000001"), TestContext.Current.CancellationToken)).Should().NotBeNull("devices made before stay");
    }

    [Theory]
    [InlineData("0018B20000000000", "not a DevEUI block")]
    [InlineData("0018B20000000001/40", "must be zero")]
    [InlineData("0018B20000000000/65", "0 to 64")]
    [InlineData("0018B2000000000/40", "DevEUI")]
    [InlineData("0018B20000000000/-1", "number of bits")]
    public async Task A_malformed_block_is_a_400_naming_it(string block, string why)
    {
        var (status, problem) = await Admin.PostAsync("/api/v1/tenants", new { id = "bad", name = "bad", devEuiPrefixes = new[] { block } });

        status.Should().Be(HttpStatusCode.BadRequest);
        problem.ShouldBeProblem(HttpStatusCode.BadRequest, "invalid_field");
        problem.Detail().Should().StartWith("devEuiPrefixes[0]:").And.Contain(why);
    }

    [Fact]
    public async Task A_tenants_own_blocks_may_not_overlap_either()
    {
        var (status, problem) = await Admin.PostAsync("/api/v1/tenants", new { id = "nested", name = "nested", devEuiPrefixes = new[] { "0018B20000000000/40", "0018B20000000000/48" } });

        status.Should().Be(HttpStatusCode.BadRequest);
        problem.Detail().Should().Contain("overlap");
    }

    private static Task<(HttpStatusCode Status, JsonElement Body)> Patch(HttpClient client, string tenant, params string[] blocks) =>
        SendAsync(client, HttpMethod.Patch, $"/api/v1/tenants/{tenant}", new { devEuiPrefixes = blocks });

    internal static async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpClient client, HttpMethod method, string path, object body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = System.Net.Http.Json.JsonContent.Create(body) };
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>Two problems equal but for the DevEUI each names (and the trace id of each request).</summary>
    private static void Same(JsonElement first, JsonElement second, string firstDevEui, string secondDevEui) =>
        Fields(second).Select(f => f.Replace(secondDevEui, firstDevEui, StringComparison.Ordinal)).Should().Equal(Fields(first));

    private static IEnumerable<string> Fields(JsonElement problem) =>
        problem.EnumerateObject().Where(p => p.Name != "traceId").Select(p => $"{p.Name}={p.Value}");
}
