using System.Net;
using System.Security.Cryptography;
using Custodian.Core.Custody;
using Custodian.Server.Tests.Joins;
using Microsoft.Extensions.DependencyInjection;

namespace Custodian.Server.Tests.Maintenance;

/// <summary>
/// KEK rotation and retirement on both engines: a rewrap (while joins go on) re-seals everything under the current
/// label, after which the old label can leave the key file; a wrong or missing key stops the start, naming the label.
/// </summary>
public sealed class KekLifecycleTests
{
    private static readonly string KekA = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
    private static readonly string KekB = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task After_a_rewrap_the_old_label_leaves_the_key_file_and_everything_still_opens(string engine)
    {
        await using var world = await MaintenanceWorld.CreateAsync(engine);
        await world.WriteKeysAsync("a=" + KekA);
        string token, claimCode;
        List<Joins.DeviceUnderTest> devices;
        await using (var first = await world.StartAsync())
        {
            token = await MaintenanceWorld.NetworkAsync(first, Convert.ToHexString(RandomNumberGenerator.GetBytes(16)));
            (await first.Admin.PostAsync("/api/v1/application-servers", new { asId = "as-1", kek = new { label = "as-kek", key = KekB } })).Status.Should().Be(HttpStatusCode.Created);
            var maker = await first.TenantAsync("maker", "devices:provision", "devices:read");
            devices = await MaintenanceWorld.ProvisionAsync(maker, 3, asId: "as-1");
            claimCode = (await maker.GetJsonAsync($"/api/v1/devices/{devices[2].DevEui}")).Body.Text("claimCode")!;
            (await world.JoinAsync(first.Client(), token, devices[0], 1)).Should().Be("Success");
        }

        await world.WriteKeysAsync("a=" + KekA, "b=" + KekB);
        await using (var second = await world.StartAsync())
        {
            var report = await MaintenanceWorld.RewrapAsync(second, batchSize: 2);

            report.Text("currentLabel").Should().Be("b");
            var a = report.GetProperty("labels").GetProperty("a");
            a.GetProperty("sealed").GetInt64().Should().Be(3 * 2 + 1 + 1 + 1, "root keys and claim code of 3 devices, a session, a network's and an AS's KEK");
            a.GetProperty("rewrapped").GetInt64().Should().Be(a.GetProperty("sealed").GetInt64(), report.ToString());
            report.GetProperty("failed").GetInt64().Should().Be(0);
            report.GetProperty("retiredLabels").EnumerateArray().Select(l => l.GetString()).Should().Equal("a");
            second.Logs.Lines.Should().Contain(line => line.Contains("[1302]"));
        }

        await world.WriteKeysAsync("b=" + KekB);
        await using var third = await world.StartAsync();
        var (status, view) = await third.Client(await third.ApiKeyAsync("maker", "devices:read")).GetJsonAsync($"/api/v1/devices/{devices[2].DevEui}");
        status.Should().Be(HttpStatusCode.OK);
        view.Text("claimCode").Should().Be(claimCode, "the claim code opens under the new KEK alone");
        (await world.JoinAsync(third.Client(), token, devices[1], 1)).Should().Be("Success", "root keys and the network's KEK open under the new KEK alone");
        (await world.JoinAsync(third.Client(), token, devices[0], 1)).Should().StartWith("JoinReqFailed", "the used DevNonce is still refused");
        third.Services.GetRequiredService<KeyRing>().Labels.Should().Equal("b");
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_different_key_under_a_stored_label_or_a_missing_label_stops_the_start_naming_the_label(string engine)
    {
        await using var world = await MaintenanceWorld.CreateAsync(engine);
        await world.WriteKeysAsync("a=" + KekA);
        await using (var first = await world.StartAsync())
        {
            await MaintenanceWorld.NetworkAsync(first);
            var maker = await first.TenantAsync("maker", "devices:provision");
            await MaintenanceWorld.ProvisionAsync(maker, 1);
        }

        await world.WriteKeysAsync("a=" + KekB);
        await using (var differs = world.Build())
        {
            var failure = await ((Func<Task>)(() => differs.StartAsync(Ct))).Should().ThrowAsync<InvalidOperationException>();
            failure.Which.Message.Should().Contain("label 'a'").And.Contain("not the one").And.NotContain(KekB).And.NotContain(KekA);
        }

        await world.WriteKeysAsync("b=" + KekB);
        await using (var missing = world.Build())
        {
            var failure = await ((Func<Task>)(() => missing.StartAsync(Ct))).Should().ThrowAsync<InvalidOperationException>();
            failure.Which.Message.Should().Contain("label 'a'").And.Contain("rewrap");
        }

        await world.WriteKeysAsync("a=" + KekA, "b=" + KekB);
        await using var restored = await world.StartAsync();
        restored.Services.GetRequiredService<KeyRing>().CurrentLabel.Should().Be("b");
    }

    [Fact]
    public async Task On_postgres_a_kek_must_be_configured()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        var server = new TestServer();
        await using var app = server.Build(new Dictionary<string, string?> { ["Custodian:Postgres"] = database.ConnectionString });

        var failure = await ((Func<Task>)(() => app.StartAsync(Ct))).Should().ThrowAsync<InvalidOperationException>();

        failure.Which.Message.Should().Contain("Custodian:Postgres").And.Contain("Custodian:KekFile").And.Contain("none is generated");
        File.Exists(Path.Combine(server.DataDirectory, "kek.txt")).Should().BeFalse();
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Joins_are_answered_while_a_rewrap_runs_in_small_batches(string engine)
    {
        await using var world = await MaintenanceWorld.CreateAsync(engine);
        await world.WriteKeysAsync("a=" + KekA);
        string token;
        List<Joins.DeviceUnderTest> devices;
        await using (var first = await world.StartAsync())
        {
            token = await MaintenanceWorld.NetworkAsync(first);
            devices = await MaintenanceWorld.ProvisionAsync(await first.TenantAsync("maker", "devices:provision"), 60);
        }
        await world.WriteKeysAsync("a=" + KekA, "b=" + KekB);
        await using var server = await world.StartAsync();
        var requests = new List<string>();
        foreach (var device in devices)
        {
            requests.Add(Joins.BackendInterfacesClient.JoinReq(device, await world.Device.JoinRequestAsync(device, 1), MaintenanceWorld.NetId.ToString()).ToJsonString());
        }
        using var client = server.Client();

        var rewrap = MaintenanceWorld.RewrapAsync(server, batchSize: 3);
        var answers = new List<string>();
        foreach (var request in requests)
        {
            var (status, body) = await Joins.BackendInterfacesClient.PostAsync(client, token, request);
            status.Should().Be(HttpStatusCode.OK);
            answers.Add(Joins.BackendInterfacesClient.ResultCode(body));
        }
        var report = await rewrap;

        answers.Should().OnlyContain(code => code == "Success");
        report.GetProperty("failed").GetInt64().Should().Be(0, report.ToString());
        var a = report.GetProperty("labels").GetProperty("a");
        a.GetProperty("sealed").GetInt64().Should().Be(120);
        a.GetProperty("rewrapped").GetInt64().Should().Be(120);
        foreach (var device in devices)
        {
            var stored = (await server.Store.GetDeviceAsync(device.DevEui, Ct))!;
            stored.RootKeys.KekLabel.Should().Be("b");
            stored.RootKeys.Format.Should().Be(SealFormat.Aead);
        }
    }
}
