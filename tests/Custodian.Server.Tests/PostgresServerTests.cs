using System.Net;
using Custodian.Core.Tenancy;
using Custodian.Storage.Postgres;

namespace Custodian.Server.Tests;

/// <summary>
/// The server on PostgreSQL (<c>Custodian:Postgres</c>), in a database of its own on the server named by
/// <c>CUSTODIAN_TEST_POSTGRES</c>; without the variable these tests fail, never skip.
/// </summary>
public sealed class PostgresServerTests
{
    private const string Kek = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Devices_provisioned_on_one_instance_are_seen_by_another_and_survive_a_restart()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        var adminKey = SecretToken.Generate(SecretToken.ApiKeyPrefix);
        var settings = new Dictionary<string, string?>
        {
            ["Custodian:Postgres"] = database.ConnectionString,
            ["Custodian:Kek"] = Kek,
            ["Custodian:AdminKey"] = adminKey,
        };
        await using var first = await TestServer.StartAsync(settings);
        await using var second = await TestServer.StartAsync(settings);
        first.Store.Should().BeOfType<PostgresCustodianStore>();
        File.Exists(Path.Combine(first.DataDirectory, "custodian.db")).Should().BeFalse("nothing is stored in SQLite");

        var maker = await first.TenantAsync("pg-maker", "devices:provision", "devices:read");
        await first.NetworkAsync("000099");
        var (status, batch) = await maker.PostAsync("/api/v1/devices/batch", new
        {
            devices = new object[]
            {
                new { joinEui = "70B3D57ED0000000", devEui = "0000000000130001", macVersion = "1.0.3" },
                new { joinEui = "70B3D57ED0000000", devEui = "0000000000130002", macVersion = "1.1", homeNetId = "000099" },
                new { joinEui = "70B3D57ED0000000", devEui = "0000000000130003", macVersion = "1.0.3", homeNetId = "000098" },
            },
        });
        status.Should().Be(HttpStatusCode.OK);
        batch.GetProperty("results").EnumerateArray().Select(r => r.Text("status")).Should().Equal("created", "created", "failed");
        var code = batch.GetProperty("results")[0].Text("claimCode");

        var readerOnSecond = second.Client(await second.ApiKeyAsync("pg-maker", "devices:read", "events:read"));
        var (seen, view) = await readerOnSecond.GetJsonAsync("/api/v1/devices/0000000000130001");
        seen.Should().Be(HttpStatusCode.OK);
        view.Text("claimCode").Should().Be(code);
        (await readerOnSecond.GetJsonAsync("/api/v1/devices/0000000000130002")).Body.Text("state").Should().Be("claimed");
        var (_, events) = await readerOnSecond.GetJsonAsync("/api/v1/events");
        events.GetProperty("events").GetArrayLength().Should().Be(2);

        await first.StopAsync();
        await second.StopAsync();
        await using var restarted = await TestServer.StartAsync(settings);
        var (again, afterRestart) = await restarted.Client(adminKey).GetJsonAsync("/api/v1/events?limit=1");
        again.Should().Be(HttpStatusCode.OK, "the configured admin key is still valid");
        var reader = restarted.Client(await restarted.ApiKeyAsync("pg-maker", "devices:read"));
        (await reader.GetJsonAsync("/api/v1/devices/0000000000130001")).Body.Text("claimCode").Should().Be(code);
        afterRestart.GetProperty("events").GetArrayLength().Should().Be(0, "the operator tenant has no events");
    }

    [Fact]
    public async Task A_key_revoked_through_one_instance_is_refused_by_the_other_at_once()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        var settings = new Dictionary<string, string?>
        {
            ["Custodian:Postgres"] = database.ConnectionString,
            ["Custodian:Kek"] = Kek,
            ["Custodian:AdminKey"] = SecretToken.Generate(SecretToken.ApiKeyPrefix),
        };
        await using var first = await TestServer.StartAsync(settings);
        await using var second = await TestServer.StartAsync(settings);
        (await first.Admin.PostAsync("/api/v1/tenants", new { id = "pg-revoked", name = "Revoked" })).Status.Should().Be(HttpStatusCode.Created);
        var key = await first.ApiKeyAsync("pg-revoked", "devices:read");
        var onSecond = second.Client(key);
        (await onSecond.GetJsonAsync("/api/v1/devices")).Status.Should().Be(HttpStatusCode.OK);
        var keyId = (await first.Store.FindApiKeyAsync(SecretToken.Hash(key), Ct))!.Id;

        using var revoked = await first.Admin.DeleteAsync($"/api/v1/tenants/pg-revoked/api-keys/{keyId}", Ct);

        revoked.StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await onSecond.GetJsonAsync("/api/v1/devices")).Body.ShouldBeProblem(HttpStatusCode.Unauthorized, "unauthenticated");
    }
}
