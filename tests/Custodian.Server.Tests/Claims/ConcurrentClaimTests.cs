using System.Net;
using System.Security.Cryptography;
using Custodian.Core.Tenancy;
using Custodian.Storage.Postgres;
using Npgsql;
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
    private const string Variable = "CUSTODIAN_TEST_POSTGRES";
    private readonly string _database = "custodian_claims_" + Guid.NewGuid().ToString("N");
    private string _admin = "";
    private TestServer? _first;
    private TestServer? _second;

    public async ValueTask InitializeAsync()
    {
        var server = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(server))
        {
            throw new InvalidOperationException($"{Variable} is not set: this test needs a PostgreSQL server, e.g. {Variable}=\"Host=127.0.0.1;Port=55432;Username=postgres\".");
        }
        _admin = new NpgsqlConnectionStringBuilder(server) { Database = "postgres", Pooling = false }.ConnectionString;
        await ExecuteAsync(_admin, $"CREATE DATABASE {_database}");
        var configuration = new Dictionary<string, string?>
        {
            ["Custodian:AdminKey"] = SecretToken.Generate(SecretToken.ApiKeyPrefix),
            ["Custodian:Kek"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)),
            ["Custodian:KekLabel"] = "shared",
            ["Custodian:Postgres"] = new NpgsqlConnectionStringBuilder(server) { Database = _database }.ConnectionString,
        };
        _first = await TestServer.StartAsync(configuration);
        _second = await TestServer.StartAsync(configuration);
        _first.Store.Should().BeOfType<PostgresCustodianStore>();
    }

    public async ValueTask DisposeAsync()
    {
        if (_first is not null)
        {
            await _first.DisposeAsync();
        }
        if (_second is not null)
        {
            await _second.DisposeAsync();
        }
        NpgsqlConnection.ClearAllPools();
        if (_admin.Length > 0)
        {
            await ExecuteAsync(_admin, $"DROP DATABASE IF EXISTS {_database} WITH (FORCE)");
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

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
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
