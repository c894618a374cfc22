using System.Security.Cryptography;
using Custodian.Core.Tenancy;
using Custodian.Storage.Postgres;
using Npgsql;
using static Custodian.Server.Tests.Joins.BackendInterfacesClient;

namespace Custodian.Server.Tests.Joins;

/// <summary>
/// Two server instances on one PostgreSQL database (its own, on the server <c>CUSTODIAN_TEST_POSTGRES</c>
/// names; without it the test fails): the same JoinReq sent to both at once is accepted exactly once.
/// </summary>
public sealed class TwoInstancesOnPostgresTests : IAsyncLifetime
{
    private const string Variable = "CUSTODIAN_TEST_POSTGRES";
    private static readonly NetId NetId = NetId.Parse("000042");
    private readonly string _database = "custodian_joins_" + Guid.NewGuid().ToString("N");
    private readonly LoraPacketDevice _device = new();
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
        var connectionString = new NpgsqlConnectionStringBuilder(server) { Database = _database }.ConnectionString;
        // Both instances share the admin key and our KEK, as a deployment's instances do.
        var configuration = new Dictionary<string, string?>
        {
            ["Custodian:AdminKey"] = SecretToken.Generate(SecretToken.ApiKeyPrefix),
            ["Custodian:Kek"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)),
            ["Custodian:KekLabel"] = "shared",
            ["Custodian:Postgres"] = connectionString,
        };
        _first = await TestServer.StartAsync(configuration);
        _second = await TestServer.StartAsync(configuration);
        _first.Store.Should().BeOfType<PostgresCustodianStore>();
    }

    public async ValueTask DisposeAsync()
    {
        await _device.DisposeAsync();
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

    [Theory]
    [InlineData("1.0.3")]
    [InlineData("1.0.4")]
    [InlineData("1.1")]
    public async Task Same_JoinReq_sent_to_both_instances_at_once_is_accepted_exactly_once(string version)
    {
        var maker = await _first!.TenantAsync("maker-" + version.Replace('.', '-'), "devices:provision", "events:read");
        var token = await NetworkTokenAsync();
        var devices = new List<DeviceUnderTest>();
        for (var i = 0; i < 12; i++)
        {
            devices.Add(await ProvisionAsync(maker, MacVersion.Parse(version)));
        }
        using var toFirst = _first.Client();
        using var toSecond = _second!.Client();

        foreach (var device in devices)
        {
            var body = JoinReq(device, await _device.JoinRequestAsync(device, 0x0777), NetId.ToString()).ToJsonString();
            var answers = await Task.WhenAll(PostAsync(toFirst, token, body), PostAsync(toSecond, token, body));

            var codes = answers.Select(a => a.Body.ResultCode()).ToList();
            codes.Should().ContainSingle(c => c == "Success", $"one instance accepts DevEUI {device.DevEui}, got {string.Join(", ", codes)}");
            codes.Should().ContainSingle(c => c == "JoinReqFailed", "the other sees the DevNonce already used");
            var accepted = answers.Single(a => a.Body.ResultCode() == "Success").Body;
            var accept = await _device.JoinAcceptAsync(device, 0x0777, accepted.GetProperty("PHYPayload").GetString()!);
            accept["micValid"]!.GetValue<bool>().Should().BeTrue();
            accept["joinNonce"]!.GetValue<string>().Should().Be("000001");
            var (_, events) = await maker.GetJsonAsync($"/api/v1/events?devEui={device.DevEui}&limit=10");
            events.GetProperty("events").EnumerateArray().Count(e => e.Text("type") == "join.accepted").Should().Be(1);
        }
    }

    private async Task<string> NetworkTokenAsync()
    {
        var (status, body) = await _first!.Admin.PostAsync("/api/v1/networks", new { netId = NetId.ToString() });
        status.Should().Be(System.Net.HttpStatusCode.Created, body.ToString());
        return body.GetProperty("token").GetString()!;
    }

    private static long _nextDevEui = 0x00B0_0000_0000_0001;

    private static async Task<DeviceUnderTest> ProvisionAsync(HttpClient maker, MacVersion macVersion)
    {
        var devEui = new DevEui((ulong)Interlocked.Increment(ref _nextDevEui));
        var joinEui = JoinEui.Parse("70B3D57ED0000042");
        var nwkKey = Key128.Generate().ExportSecretHex();
        var appKey = macVersion.IsLorawan11 ? Key128.Generate().ExportSecretHex() : null;
        var (status, body) = await maker.PostAsync("/api/v1/devices", new
        {
            joinEui = joinEui.ToString(),
            devEui = devEui.ToString(),
            macVersion = macVersion.ToString(),
            appKey = appKey ?? nwkKey,
            nwkKey = appKey is null ? null : nwkKey,
            homeNetId = NetId.ToString(),
        });
        status.Should().Be(System.Net.HttpStatusCode.Created, body.ToString());
        return new DeviceUnderTest(devEui, joinEui, macVersion, nwkKey, appKey);
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }
}
