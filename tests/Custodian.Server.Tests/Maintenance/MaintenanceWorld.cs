using Microsoft.AspNetCore.Builder;
using System.Net;
using System.Text.Json;
using Custodian.Core.Tenancy;
using Custodian.Server.Tests.Joins;
using static Custodian.Server.Tests.Joins.BackendInterfacesClient;

namespace Custodian.Server.Tests.Maintenance;

/// <summary>
/// A deployment to restart with other KEKs or restore from a backup: a key file, a fixed admin key, SQLite in one
/// data directory or one PostgreSQL database, devices pre-activated at one network, joined by lora-packet.
/// </summary>
internal sealed class MaintenanceWorld : IAsyncDisposable
{
    public static readonly NetId NetId = NetId.Parse("000042");
    private static long _nextDevEui = 0x00C0_0000_0000_0001;
    private readonly PostgresTestDatabase? _database;

    private MaintenanceWorld(string directory, PostgresTestDatabase? database)
    {
        Directory = directory;
        _database = database;
        KeyFile = Path.Combine(directory, "keks.txt");
    }

    public string Directory { get; }

    public string KeyFile { get; }

    public string AdminKey { get; } = SecretToken.Generate(SecretToken.ApiKeyPrefix);

    public LoraPacketDevice Device { get; } = new();

    public bool OnPostgres => _database is not null;

    public static async Task<MaintenanceWorld> CreateAsync(string engine) =>
        new(System.IO.Directory.CreateTempSubdirectory("custodian-maint-").FullName, engine == "postgres" ? await PostgresTestDatabase.CreateAsync() : null);

    public Dictionary<string, string?> Settings()
    {
        var settings = new Dictionary<string, string?> { ["Custodian:KekFile"] = KeyFile, ["Custodian:AdminKey"] = AdminKey };
        if (_database is not null)
        {
            settings["Custodian:Postgres"] = _database.ConnectionString;
        }
        return settings;
    }

    public Task WriteKeysAsync(params string[] lines) => File.WriteAllTextAsync(KeyFile, string.Join('\n', lines) + "\n", TestContext.Current.CancellationToken);

    /// <summary>SQLite servers share the world's data directory; PostgreSQL ones each get their own (unused) one.</summary>
    public Task<TestServer> StartAsync() => TestServer.StartAsync(Settings(), dataDirectory: OnPostgres ? null : Path.Combine(Directory, "data"));

    public WebApplication Build()
    {
        var server = new TestServer(OnPostgres ? null : Path.Combine(Directory, "data"));
        return server.Build(Settings());
    }

    public static async Task<string> NetworkAsync(TestServer server, string? kekHex = null)
    {
        var (status, body) = await server.Admin.PostAsync("/api/v1/networks", new { netId = NetId.ToString(), kek = kekHex is null ? null : new { label = "ns-kek", key = kekHex } });
        status.Should().Be(HttpStatusCode.Created, body.ToString());
        return body.Text("token")!;
    }

    /// <summary>Provisions pre-activated 1.0.3 devices through the batch call.</summary>
    public static async Task<List<DeviceUnderTest>> ProvisionAsync(HttpClient maker, int count, string? asId = null)
    {
        var devices = Enumerable.Range(0, count).Select(_ => new DeviceUnderTest(
            new DevEui((ulong)Interlocked.Increment(ref _nextDevEui)), JoinEui.Parse("70B3D57ED0000042"), MacVersion.V1_0_3, Key128.Generate().ExportSecretHex(), null)).ToList();
        var (status, body) = await maker.PostAsync("/api/v1/devices/batch", new
        {
            devices = devices.Select(d => new { joinEui = d.JoinEui.ToString(), devEui = d.DevEui.ToString(), macVersion = "1.0.3", appKey = d.NwkKeyHex, homeNetId = NetId.ToString(), asId }),
        });
        status.Should().Be(HttpStatusCode.OK, body.ToString());
        body.GetProperty("results").EnumerateArray().Should().OnlyContain(r => r.Text("status") == "created", body.ToString());
        return devices;
    }

    public async Task<string> JoinAsync(HttpClient client, string token, DeviceUnderTest device, ushort devNonce)
    {
        var answer = await AnswerAsync(client, token, JoinReq(device, await Device.JoinRequestAsync(device, devNonce), NetId.ToString()));
        return answer.ResultCode() + (answer.Description() is { } description ? ": " + description : "");
    }

    public static async Task<JsonElement> RewrapAsync(TestServer server, int batchSize)
    {
        using var response = await server.Admin.PostAsync($"/api/v1/kek/rewrap?batchSize={batchSize}", null, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        response.StatusCode.Should().Be(HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        await Device.DisposeAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
