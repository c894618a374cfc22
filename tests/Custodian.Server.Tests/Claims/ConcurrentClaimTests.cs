using System.Net;
using static Custodian.Server.Tests.Claims.ClaimsServer;

namespace Custodian.Server.Tests.Claims;

/// <summary>Two owners claiming the same device at the same moment: exactly one wins, on one server (SQLite).</summary>
public sealed class ConcurrentClaimTests(ClaimsServer fixture) : IClassFixture<ClaimsServer>
{
    [Fact]
    public async Task Two_owners_claiming_one_device_at_once_get_one_201_and_one_409()
    {
        var maker = await fixture.MakerAsync();
        var first = await fixture.OwnerAsync();
        var second = await fixture.OwnerAsync();
        var devices = await maker.ProvisionAsync(20);

        foreach (var device in devices)
        {
            var answers = await Task.WhenAll(first.ClaimAsync(device, NetA), second.ClaimAsync(device, NetB));

            ConcurrentClaims.ShouldHaveOneWinner(answers, device.DevEui);
        }
    }
}

/// <summary>
/// The same race across two server instances on one PostgreSQL database (its own, on the server
/// <c>CUSTODIAN_TEST_POSTGRES</c> names; without it the test fails).
/// </summary>
public sealed class ConcurrentClaimsOnPostgresTests : IAsyncLifetime
{
    private PostgresInstances? _instances;
    private TestServer? _first;
    private TestServer? _second;

    public async ValueTask InitializeAsync()
    {
        _instances = await PostgresInstances.StartAsync();
        (_first, _second) = (_instances.First, _instances.Second);
    }

    public async ValueTask DisposeAsync()
    {
        if (_instances is not null)
        {
            await _instances.DisposeAsync();
        }
    }

    [Fact]
    public async Task Two_owners_on_two_instances_claiming_one_device_at_once_get_one_201_and_one_409()
    {
        await _first!.NetworkAsync(NetA);
        await _first.NetworkAsync(NetB);
        var maker = await _first.TenantAsync("pg-maker", ClaimsWorld.MakerRights);
        await _first.TenantAsync("pg-first", ClaimsWorld.OwnerRights);
        await _first.TenantAsync("pg-second", ClaimsWorld.OwnerRights);
        var first = _first.Client(await _first.ApiKeyAsync("pg-first", ClaimsWorld.OwnerRights));
        var second = _second!.Client(await _first.ApiKeyAsync("pg-second", ClaimsWorld.OwnerRights));
        var devices = await maker.ProvisionAsync(20);

        foreach (var device in devices)
        {
            var answers = await Task.WhenAll(first.ClaimAsync(device, NetA), second.ClaimAsync(device, NetB));

            ConcurrentClaims.ShouldHaveOneWinner(answers, device.DevEui);
        }

        // And whole batches racing: every device goes to exactly one of the two.
        var batch = await maker.ProvisionAsync(200);
        var results = await Task.WhenAll(
            first.PostAsync("/api/v1/claims/batch", new { claims = batch.Select(d => ClaimsWorld.Claim(d, NetA)) }),
            second.PostAsync("/api/v1/claims/batch", new { claims = batch.Select(d => ClaimsWorld.Claim(d, NetB)).Reverse() }));
        results.Should().OnlyContain(r => r.Status == HttpStatusCode.OK);
        var won = results.SelectMany(r => r.Body.GetProperty("results").EnumerateArray())
            .Where(r => r.Text("status") == "claimed").Select(r => r.Text("devEui")).ToList();
        won.Should().OnlyHaveUniqueItems().And.HaveCount(batch.Count);
        var lost = results.SelectMany(r => r.Body.GetProperty("results").EnumerateArray()).Where(r => r.Text("status") == "failed").ToList();
        lost.Should().HaveCount(batch.Count).And.OnlyContain(r => r.GetProperty("error").GetProperty("code").GetString() == "device_claimed");
    }
}

internal static class ConcurrentClaims
{
    public static void ShouldHaveOneWinner((HttpStatusCode Status, System.Text.Json.JsonElement Body)[] answers, string devEui)
    {
        var statuses = answers.Select(a => a.Status).ToList();
        statuses.Should().ContainSingle(s => s == HttpStatusCode.Created, $"one owner wins DevEUI {devEui}, got {string.Join(", ", statuses)}");
        statuses.Should().ContainSingle(s => s == HttpStatusCode.Conflict, "the other presented the right code and is told the device is claimed");
        answers.Single(a => a.Status == HttpStatusCode.Conflict).Body.ShouldBeProblem(HttpStatusCode.Conflict, "device_claimed");
    }
}
