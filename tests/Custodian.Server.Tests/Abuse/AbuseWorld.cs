using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Custodian.Lorawan.Crypto;
using Custodian.Lorawan.Frames;
using Custodian.Server.Tests.Joins;
using Custodian.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Custodian.Server.Tests.Abuse;

/// <summary>
/// A real server with a maker tenant that holds a device pre-activated at network 000013 and an unclaimed one,
/// networks 000013 and 000014 registered, and what an attacker's probes need: JoinReqs signed with the device's
/// root key, the owner's event count, the database's logical size and the metrics.
/// </summary>
internal sealed class AbuseWorld : IAsyncDisposable
{
    public const string HomeNetId = "000013";
    public const string ForeignNetId = "000014";
    private static long _nextDevEui = 0x00AB_0000_0000_0001;

    private AbuseWorld(TestServer server) => Server = server;

    public TestServer Server { get; }

    /// <summary>The maker, which also owns its pre-activated device (devices:provision, devices:read, events:read).</summary>
    public HttpClient Maker { get; private set; } = null!;

    /// <summary>No API key: peers authenticate per request.</summary>
    public HttpClient Anonymous { get; private set; } = null!;

    public string HomeToken { get; private set; } = null!;

    public string ForeignToken { get; private set; } = null!;

    public DeviceUnderTest Claimed { get; private set; } = null!;

    public DeviceUnderTest Unclaimed { get; private set; } = null!;

    public static async Task<AbuseWorld> StartAsync(IDictionary<string, string?>? configuration = null)
    {
        var world = new AbuseWorld(await TestServer.StartAsync(configuration));
        world.Maker = await world.Server.TenantAsync("maker", "devices:provision", "devices:read", "events:read");
        world.Anonymous = world.Server.Client();
        world.HomeToken = await world.Server.NetworkAsync(HomeNetId);
        world.ForeignToken = await world.Server.NetworkAsync(ForeignNetId);
        world.Claimed = await world.ProvisionAsync(HomeNetId);
        world.Unclaimed = await world.ProvisionAsync(null);
        return world;
    }

    public async Task<DeviceUnderTest> ProvisionAsync(string? homeNetId)
    {
        var devEui = new DevEui((ulong)Interlocked.Increment(ref _nextDevEui));
        var device = new DeviceUnderTest(devEui, JoinEui.Parse("70B3D57ED0000ABC"), MacVersion.V1_0_3, Key128.Generate().ExportSecretHex(), null);
        var (status, body) = await Maker.PostAsync("/api/v1/devices", new
        {
            joinEui = device.JoinEui.ToString(),
            devEui = devEui.ToString(),
            macVersion = "1.0.3",
            appKey = device.NwkKeyHex,
            homeNetId,
        });
        status.Should().Be(HttpStatusCode.Created, body.ToString());
        return device;
    }

    /// <summary>A DevEUI nobody provisioned, under the same JoinEUI.</summary>
    public static DeviceUnderTest Unknown() =>
        new(new DevEui((ulong)Interlocked.Increment(ref _nextDevEui) | 0x0F00_0000_0000_0000), JoinEui.Parse("70B3D57ED0000ABC"), MacVersion.V1_0_3, Key128.Generate().ExportSecretHex(), null);

    /// <summary>A JoinReq as the device (signed with its root key) and a network sending as <paramref name="senderId"/> would send it.</summary>
    public static JsonObject JoinReq(DeviceUnderTest device, ushort devNonce, string senderId, uint transactionId = 1)
    {
        var key = Key128.Parse(device.NwkKeyHex);
        var frame = new JoinRequest(device.JoinEui, device.DevEui, new DevNonce(devNonce), default).Sign(new AesCipher(key));
        var request = BackendInterfacesClient.JoinReq(device, Convert.ToHexString(frame.ToArray()), senderId);
        request["TransactionID"] = transactionId;
        return request;
    }

    /// <summary>A RejoinReq (type 1) naming the device: all the review's probe needed was its DevEUI.</summary>
    public static JsonObject RejoinReq(DeviceUnderTest device, string senderId, uint transactionId = 1)
    {
        var jsIntKey = KeyDerivation.DeriveJSIntKey(new AesCipher(Key128.Parse(device.NwkKeyHex)), device.DevEui);
        var frame = RejoinRequest.Type1(device.JoinEui, device.DevEui, 3).Sign(jsIntKey);
        var request = BackendInterfacesClient.Header("RejoinReq", senderId, device.JoinEui.ToString());
        request["TransactionID"] = transactionId;
        request["MACVersion"] = "1.1";
        request["PHYPayload"] = Convert.ToHexString(frame.ToArray());
        request["DevEUI"] = device.DevEui.ToString();
        request["DevAddr"] = BackendInterfacesClient.DevAddrHex;
        request["DLSettings"] = "95";
        request["RxDelay"] = 1;
        return request;
    }

    public Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(string? token, JsonObject request) =>
        BackendInterfacesClient.PostAsync(Anonymous, token, request.ToJsonString());

    /// <summary>Every event of the device any of its tenants could read (the maker holds both devices).</summary>
    public async Task<IReadOnlyList<JsonElement>> EventsAsync(DevEui devEui)
    {
        var (status, body) = await Maker.GetJsonAsync($"/api/v1/events?devEui={devEui}&limit=1000");
        status.Should().Be(HttpStatusCode.OK, body.ToString());
        return [.. body.GetProperty("events").EnumerateArray()];
    }

    /// <summary>
    /// The database's logical size in bytes (pages in use), read as a second connection would: unlike the file
    /// sizes, it does not move when the WAL is checkpointed.
    /// </summary>
    public async Task<long> DatabaseBytesAsync()
    {
        var path = Path.Combine(Server.DataDirectory, SqliteCustodianStore.FileName);
        await using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size();";
        return (long)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    /// <summary>Rows of the events table, all tenants.</summary>
    public async Task<long> EventRowsAsync()
    {
        var path = Path.Combine(Server.DataDirectory, SqliteCustodianStore.FileName);
        await using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM events;";
        return (long)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    public async Task<double> CounterAsync(string series)
    {
        using var response = await Anonymous.GetAsync(new Uri("/metrics", UriKind.Relative), TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line[(series.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
