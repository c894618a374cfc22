using static Custodian.Server.Tests.Joins.BackendInterfacesClient;

namespace Custodian.Server.Tests.Joins;

/// <summary>
/// Two server instances on one PostgreSQL database (its own, on the server <c>CUSTODIAN_TEST_POSTGRES</c>
/// names; without it the test fails): the same JoinReq sent to both at once is accepted exactly once.
/// </summary>
public sealed class TwoInstancesOnPostgresTests : IAsyncLifetime
{
    private static readonly NetId NetId = NetId.Parse("000042");
    private readonly LoraPacketDevice _device = new();
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
        await _device.DisposeAsync();
        if (_instances is not null)
        {
            await _instances.DisposeAsync();
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
}
